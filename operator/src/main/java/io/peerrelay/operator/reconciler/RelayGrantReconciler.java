package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.api.RelayGrantStatus;
import io.peerrelay.operator.dependent.Selectors;
import io.peerrelay.operator.observe.ObservedGrantKeys;
import io.peerrelay.operator.observe.ObservedSelection;
import io.peerrelay.operator.observe.SecretLookup;
import io.peerrelay.operator.status.GrantStatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Resolves each RelayGrant (its keys, the PeerRelays it selects) into its own status. The keys
 * themselves reach relay configs through {@link PeerRelayReconciler}, which reads the same caches.
 */
@ControllerConfiguration(name = RelayGrantReconciler.NAME, fieldManager = FieldManager.NAME)
public class RelayGrantReconciler implements Reconciler<RelayGrant> {

  /** Controller name (also the name of its metrics). */
  public static final String NAME = "relaygrant";

  static final String SECRETS = "grant-secrets";
  static final String RELAYS = "grant-relays";

  private final GrantStatusAggregator aggregator;

  public RelayGrantReconciler(Clock clock) {
    this.aggregator = new GrantStatusAggregator(clock);
  }

  @Override
  public List<EventSource<?, RelayGrant>> prepareEventSources(
      EventSourceContext<RelayGrant> context) {
    // A Secret event reaches the grants of its namespace that reference it by name.
    var secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, RelayGrant.class)
                .withName(SECRETS)
                .withNamespacesInheritedFromController()
                // Only the users' labelled Secrets: an unrelated Secret is never cached.
                .withLabelSelector(Selectors.WATCHED_USER_SECRETS)
                .withSecondaryToPrimaryMapper(
                    s ->
                        context
                            .getPrimaryCache()
                            .list(s.getMetadata().getNamespace())
                            .filter(g -> references(g, s.getMetadata().getName()))
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // A PeerRelay appearing, going or changing labels can change which grants match it.
    var relays =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(PeerRelay.class, RelayGrant.class)
                .withName(RELAYS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    r ->
                        context
                            .getPrimaryCache()
                            .list(r.getMetadata().getNamespace())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    return List.of(secrets, relays);
  }

  @Override
  @SuppressWarnings("unchecked")
  public UpdateControl<RelayGrant> reconcile(RelayGrant grant, Context<RelayGrant> context) {
    String ns = grant.getMetadata().getNamespace();
    var secrets =
        (InformerEventSource<Secret, RelayGrant>)
            context.eventSourceRetriever().getEventSourceFor(Secret.class, SECRETS);
    var relays =
        (InformerEventSource<PeerRelay, RelayGrant>)
            context.eventSourceRetriever().getEventSourceFor(PeerRelay.class, RELAYS);
    ObservedGrantKeys keys =
        ObservedGrantKeys.resolve(
            grant,
            SecretLookup.cached(
                name -> secrets.get(new ResourceID(name, ns)).orElse(null),
                name -> context.getClient().secrets().inNamespace(ns).withName(name).get(),
                ns));
    List<String> matched =
        relays
            .list(
                ns,
                r ->
                    grant.getSpec() != null
                        && grant.getSpec().getDst() != null
                        && ObservedSelection.selects(
                            grant.getSpec().getDst().getSelector(), r.getMetadata().getLabels()))
            .map(r -> r.getMetadata().getName())
            .toList();
    RelayGrantStatus next =
        aggregator.aggregate(grant.getStatus(), grant.getMetadata().getGeneration(), keys, matched);
    UpdateControl<RelayGrant> control;
    if (Objects.equals(next, grant.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      RelayGrant patch = new RelayGrant();
      patch.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(grant.getMetadata().getName())
              .withNamespace(ns)
              .build());
      patch.setStatus(next);
      control = UpdateControl.patchStatus(patch);
    }
    // The Secret watch sees only labelled Secrets, so a referenced Secret that appears without the
    // label sends no event: look again while one is missing, so the condition comes to name the
    // missing label instead of saying "not found" for good.
    return secretMissing(next) ? control.rescheduleAfter(SECRET_RECHECK) : control;
  }

  /** How often a grant with a missing Secret looks again. */
  static final Duration SECRET_RECHECK = Duration.ofSeconds(10);

  private static boolean secretMissing(RelayGrantStatus status) {
    return status.getConditions() != null
        && status.getConditions().stream()
            .anyMatch(
                c ->
                    Conditions.READY.equals(c.getType())
                        && Conditions.REASON_SECRET_MISSING.equals(c.getReason()));
  }

  /** Whether {@code grant} reads keys from the Secret named {@code secret}. */
  static boolean references(RelayGrant grant, String secret) {
    return secretNames(grant).contains(secret);
  }

  /** The Secrets a grant reads keys from. */
  static Set<String> secretNames(RelayGrant grant) {
    if (grant.getSpec() == null || grant.getSpec().getSrc() == null) {
      return Set.of();
    }
    return grant.getSpec().getSrc().stream()
        .map(GrantSource::getSecretRef)
        .filter(Objects::nonNull)
        .map(r -> r.getName())
        .filter(Objects::nonNull)
        .collect(Collectors.toSet());
  }
}
