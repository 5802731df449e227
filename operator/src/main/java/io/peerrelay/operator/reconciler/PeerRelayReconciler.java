package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.dependent.RelayConfigMapsDependent;
import io.peerrelay.operator.dependent.RelayKeySecretsDependent;
import io.peerrelay.operator.dependent.RelayPlan;
import io.peerrelay.operator.dependent.RelayPodDisruptionBudgetDependent;
import io.peerrelay.operator.dependent.RelayServicesDependent;
import io.peerrelay.operator.dependent.RelayStatefulSetsDependent;
import io.peerrelay.operator.dependent.Selectors;
import io.peerrelay.operator.dependent.TemplateHash;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.desired.RelayService;
import io.peerrelay.operator.desired.RelayStatefulSet;
import io.peerrelay.operator.observe.Endpoints;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.ObservedSelection;
import io.peerrelay.operator.status.RelayFacts;
import io.peerrelay.operator.status.RelayStatusAggregator;
import io.peerrelay.operator.status.ReplicaFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a PeerRelay along one spine: observe (caches only) → compute endpoints → decide the
 * rollout → hand the plan to the dependents → run the workflow → aggregate status → patch status
 * only when it changed → come back in 30 s while not Ready.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(name = PeerRelayReconciler.KEYS, type = RelayKeySecretsDependent.class),
      @Dependent(name = PeerRelayReconciler.CONFIGS, type = RelayConfigMapsDependent.class),
      @Dependent(name = PeerRelayReconciler.SERVICES, type = RelayServicesDependent.class),
      @Dependent(
          name = PeerRelayReconciler.STATEFULSETS,
          type = RelayStatefulSetsDependent.class,
          // The pods mount both: creating the StatefulSet first would start pods that wait.
          dependsOn = {PeerRelayReconciler.KEYS, PeerRelayReconciler.CONFIGS}),
      @Dependent(name = PeerRelayReconciler.PDB, type = RelayPodDisruptionBudgetDependent.class)
    })
@ControllerConfiguration(name = PeerRelayReconciler.NAME, fieldManager = FieldManager.NAME)
// Passing API errors are retried without limit, backing off from 2 s to the not-Ready requeue
// period: JOSDK's default gives up after 5 attempts (~16 s) and then waits for an event, which
// may never come (a lifted quota, an API server back up).
@GradualRetry(maxAttempts = -1, maxInterval = PeerRelayReconciler.NOT_READY_REQUEUE_MILLIS)
public class PeerRelayReconciler implements Reconciler<PeerRelay> {

  /** Controller name (also the name of its metrics). */
  public static final String NAME = "peerrelay";

  static final String KEYS = "relay-keys";
  static final String CONFIGS = "relay-configs";
  static final String SERVICES = "relay-services";
  static final String STATEFULSETS = "relay-statefulsets";
  static final String PDB = "relay-pdb";
  static final String PODS = "relay-pods";
  static final String GRANTS = "relay-grants";
  static final String GRANT_SECRETS = "relay-grant-secrets";
  static final String NODES = "relay-nodes";

  /** What each dependent writes, for messages when the server's answer names no kind. */
  private static final Map<String, String> CHILD_KINDS =
      Map.of(
          KEYS, "Secret",
          CONFIGS, "ConfigMap",
          SERVICES, "Service",
          STATEFULSETS, "StatefulSet",
          PDB, "PodDisruptionBudget");

  /** How often a not-Ready relay is looked at again (LB provisioning, DNS, pods starting). */
  static final long NOT_READY_REQUEUE_MILLIS = 30_000;

  /** {@link #NOT_READY_REQUEUE_MILLIS} as a Duration. */
  static final Duration NOT_READY_REQUEUE = Duration.ofMillis(NOT_READY_REQUEUE_MILLIS);

  private static final Logger LOG = LoggerFactory.getLogger(PeerRelayReconciler.class);

  private final String defaultImage;
  private final Endpoints endpoints;
  private final RelayStatusAggregator aggregator;
  private final MeterRegistry registry;

  /**
   * @param defaultImage relay image for PeerRelays without {@code spec.image}
   * @param endpoints endpoint computation (with its DNS seam)
   * @param clock time for condition transitions
   * @param registry where the relay gauges go
   */
  public PeerRelayReconciler(
      String defaultImage, Endpoints endpoints, Clock clock, MeterRegistry registry) {
    this.defaultImage = defaultImage;
    this.endpoints = endpoints;
    this.aggregator = new RelayStatusAggregator(clock);
    this.registry = registry;
  }

  @Override
  public List<EventSource<?, PeerRelay>> prepareEventSources(
      EventSourceContext<PeerRelay> context) {
    // Pods: readiness and node per replica. Label-selected: only relay pods are cached.
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, PeerRelay.class)
                .withName(PODS)
                .withNamespacesInheritedFromController()
                .withLabelSelector(Selectors.RELAY_PODS)
                .withSecondaryToPrimaryMapper(
                    p -> relayOf(p.getMetadata().getLabels(), p.getMetadata().getNamespace()))
                .build(),
            context);
    // RelayGrants: a grant event reaches every PeerRelay of its namespace, not only those its
    // selector selects now: JOSDK maps only the new object of an update, and a relay the old
    // selector matched must lose the keys too. A PeerRelay whose labels change is covered the
    // same way: the grant reconciler sees it, rewrites matchedRelays, and that update lands here.
    var grants =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RelayGrant.class, PeerRelay.class)
                .withName(GRANTS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    g ->
                        context
                            .getPrimaryCache()
                            .list(g.getMetadata().getNamespace())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // Secrets referenced by grants: users create them, so no label selector can narrow this one.
    var grantSecrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, PeerRelay.class)
                .withName(GRANT_SECRETS)
                .withNamespacesInheritedFromController()
                // Until the grant informer runs it has no store to list (an NPE in the informer
                // thread); a Secret seen that early needs no mapping: every PeerRelay is
                // reconciled once the controller starts.
                .withSecondaryToPrimaryMapper(
                    s ->
                        !grants.isRunning()
                            ? Set.of()
                            : grants
                                .list(
                                    s.getMetadata().getNamespace(),
                                    g ->
                                        RelayGrantReconciler.references(
                                            g, s.getMetadata().getName()))
                                .flatMap(g -> selectedRelays(context, g).stream())
                                .collect(Collectors.toSet()))
                .build(),
            context);
    RelayGauges.register(registry, context.getPrimaryCache());
    return List.of(pods, grants, grantSecrets);
  }

  @Override
  public UpdateControl<PeerRelay> reconcile(PeerRelay relay, Context<PeerRelay> context) {
    PeerRelayStatus previous = relay.getStatus();
    RelayFacts facts;
    Observed before = null;
    Observed after = null;
    try {
      before = RelayCaches.read(relay, context);
      String problem = SpecProblems.first(relay);
      Map<Integer, List<String>> addresses =
          problem == null ? endpointsOf(relay, before) : Map.of();
      Rollout rollout = problem == null ? rollout(relay, before) : new Rollout(Set.of(), Set.of());
      if (problem == null) {
        Map<Integer, StatefulSet> held = new HashMap<>();
        for (int i : rollout.hold()) {
          held.put(i, before.statefulSets().get(i));
        }
        new RelayPlan(defaultImage, addresses, before.grantedKeys(), held).handTo(context);
        problem = applyProblem(context);
      }
      after = RelayCaches.read(relay, context);
      facts = facts(relay, after, addresses, rollout, problem, context);
    } catch (RuntimeException e) {
      if (ApiFailure.isTransient(e)) {
        // JOSDK retries with backoff; updateErrorStatus keeps a healthy status as it is.
        throw e;
      }
      // Never a stack trace in status: a short message, and the full trace in the log.
      LOG.warn(
          "reconcile-failed relay={}/{} error=\"{}\"",
          relay.getMetadata().getNamespace(),
          relay.getMetadata().getName(),
          e.toString(),
          e);
      PeerRelayStatus failed =
          aggregator.failed(
              previous,
              relay.getMetadata().getGeneration(),
              Names.relaySelectorString(relay),
              Conditions.FALSE,
              Conditions.REASON_CONFIG_INVALID,
              "reconcile failed: " + ApiFailure.describe(null, e));
      return finish(relay, context, previous, failed, before, after);
    }
    return finish(relay, context, previous, aggregator.aggregate(previous, facts), before, after);
  }

  /** Announces transitions, patches status when it changed, and requeues while not Ready. */
  private UpdateControl<PeerRelay> finish(
      PeerRelay relay,
      Context<PeerRelay> context,
      PeerRelayStatus previous,
      PeerRelayStatus next,
      Observed before,
      Observed after) {
    new RelayTransitions(new RelayEvents(context.getClient()))
        .announce(relay, previous, next, before, after);
    UpdateControl<PeerRelay> control =
        Objects.equals(next, previous)
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(statusPatch(relay, next));
    return isReady(next) ? control : control.rescheduleAfter(NOT_READY_REQUEUE);
  }

  /**
   * A passing API error escaped the reconcile (see {@link ApiFailure#isTransient}): JOSDK retries
   * with backoff; status stays as it was while it was healthy, and keeps its replica entries
   * otherwise. The retries never run out (see {@link GradualRetry} on this class).
   */
  @Override
  public ErrorStatusUpdateControl<PeerRelay> updateErrorStatus(
      PeerRelay relay, Context<PeerRelay> context, Exception e) {
    LOG.warn(
        "reconcile-retry relay={}/{} error=\"{}\"",
        relay.getMetadata().getNamespace(),
        relay.getMetadata().getName(),
        ApiFailure.describe(null, e));
    PeerRelayStatus previous = relay.getStatus();
    PeerRelayStatus next =
        aggregator.afterTransientError(
            previous,
            relay.getMetadata().getGeneration(),
            Names.relaySelectorString(relay),
            "API request failed, retrying: " + ApiFailure.describe(null, e));
    new RelayTransitions(new RelayEvents(context.getClient()))
        .announce(relay, previous, next, null, null);
    return Objects.equals(next, previous)
        ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(statusPatch(relay, next));
  }

  private Map<Integer, List<String>> endpointsOf(PeerRelay relay, Observed o) {
    Map<Integer, List<String>> known = new HashMap<>();
    if (relay.getStatus() != null && relay.getStatus().getEndpoints() != null) {
      for (RelayEndpoint e : relay.getStatus().getEndpoints()) {
        known.computeIfAbsent(e.getReplica(), k -> new ArrayList<>()).add(e.getAddress());
      }
    }
    Map<Integer, Node> nodeOfReplica = new HashMap<>();
    o.pods()
        .forEach(
            (i, pod) -> {
              String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
              if (node != null && o.nodes().containsKey(node)) {
                nodeOfReplica.put(i, o.nodes().get(node));
              }
            });
    return endpoints.compute(relay, o.services(), nodeOfReplica, known);
  }

  /** Which replicas take a changed template now (see {@link Rollout}). */
  private Rollout rollout(PeerRelay relay, Observed o) {
    int n = relay.getSpec().getReplicas();
    Set<Integer> stale = new HashSet<>();
    Set<Integer> ready = new HashSet<>();
    for (int i = 0; i < n; i++) {
      StatefulSet actual = o.statefulSets().get(i);
      if (actual == null) {
        continue;
      }
      String want =
          TemplateHash.of(
              RelayStatefulSet.relayStatefulSet(relay, i, defaultImage).getSpec().getTemplate());
      if (!want.equals(TemplateHash.stampedOn(actual))) {
        stale.add(i);
      }
      if (podReady(o.pods().get(i), actual)) {
        ready.add(i);
      }
    }
    return Rollout.decide(n, stale, ready);
  }

  /**
   * Runs the dependents. A child the API server refused (the spec's fault) is returned as a problem
   * naming the child and the server's causes; a passing error is thrown for JOSDK to retry with
   * backoff.
   */
  @SuppressWarnings("rawtypes") // JOSDK's WorkflowResult exposes a raw DependentResource map
  private static String applyProblem(Context<PeerRelay> context) {
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    if (!result.erroredDependentsExist()) {
      return null;
    }
    List<String> refused = new ArrayList<>();
    for (var e : result.getErroredDependents().entrySet()) {
      Exception error = e.getValue();
      if (ApiFailure.isTransient(error)) {
        throw error instanceof RuntimeException r ? r : new IllegalStateException(error);
      }
      refused.add(ApiFailure.describe(CHILD_KINDS.get(e.getKey().name()), error));
    }
    return refused.stream()
        .sorted()
        .collect(Collectors.joining("; ", "refused by the API server: ", ""));
  }

  private RelayFacts facts(
      PeerRelay relay,
      Observed o,
      Map<Integer, List<String>> addresses,
      Rollout rollout,
      String problem,
      Context<PeerRelay> context) {
    int n = relay.getSpec() == null ? 0 : Math.max(0, relay.getSpec().getReplicas());
    List<ReplicaFacts> replicas = new ArrayList<>();
    Integer missingPod = null;
    for (int i = 0; i < n; i++) {
      Pod pod = o.pods().get(i);
      if (pod == null && missingPod == null) {
        missingPod = i;
      }
      Secret key = o.keySecrets().get(i);
      replicas.add(
          new ReplicaFacts(
              i,
              pod == null ? null : pod.getMetadata().getName(),
              pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
              podReady(pod, o.statefulSets().get(i)),
              key == null ? null : RelaySecret.publicKey(key).orElse(null),
              addresses.getOrDefault(i, List.of())));
    }
    String podSecurity = null;
    if (problem == null && missingPod != null) {
      podSecurity =
          new PodSecurityCheck(context.getClient())
              .problem(relay.getMetadata().getNamespace(), podOf(relay, missingPod));
    }
    SortedSet<String> overridden = new TreeSet<>();
    for (int i = 0; problem == null && i < n; i++) {
      RelayService.overriddenAnnotations(relay, i).forEach(a -> overridden.add(a.toString()));
    }
    return new RelayFacts(
        relay.getMetadata().getGeneration(),
        n,
        Names.relaySelectorString(relay),
        replicas,
        o.grantedKeys().size(),
        problem,
        podSecurity,
        rollout.rolling(),
        List.copyOf(overridden));
  }

  /** The pod the StatefulSet controller would create for replica {@code i}, for a dry run. */
  private Pod podOf(PeerRelay relay, int i) {
    StatefulSet sts = RelayStatefulSet.relayStatefulSet(relay, i, defaultImage);
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder()
                .withName(Names.pod(relay, i))
                .withNamespace(relay.getMetadata().getNamespace())
                .withLabels(sts.getSpec().getTemplate().getMetadata().getLabels())
                .build())
        .withSpec(sts.getSpec().getTemplate().getSpec())
        .build();
  }

  /**
   * A replica is ready when its pod reports Ready and runs the StatefulSet's current revision:
   * right after a template change the old pod may still be Ready, but it is not the new one.
   */
  static boolean podReady(Pod pod, StatefulSet sts) {
    if (pod == null || sts == null || pod.getStatus() == null) {
      return false;
    }
    boolean ready =
        pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    var st = sts.getStatus();
    if (!ready || st == null || st.getUpdateRevision() == null) {
      return false;
    }
    boolean observedCurrentSpec =
        st.getObservedGeneration() != null
            && st.getObservedGeneration() >= sts.getMetadata().getGeneration();
    String podRevision =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get("controller-revision-hash");
    return observedCurrentSpec && st.getUpdateRevision().equals(podRevision);
  }

  private static boolean isReady(PeerRelayStatus s) {
    Condition c = RelayTransitions.condition(s, Conditions.READY);
    return c != null && Conditions.TRUE.equals(c.getStatus());
  }

  /** A PeerRelay carrying only identity and status: what a status apply must send. */
  private static PeerRelay statusPatch(PeerRelay relay, PeerRelayStatus status) {
    PeerRelay patch = new PeerRelay();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(relay.getMetadata().getName())
            .withNamespace(relay.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }

  static boolean selects(RelayGrant g, PeerRelay relay) {
    return g.getSpec() != null
        && g.getSpec().getDst() != null
        && ObservedSelection.selects(
            g.getSpec().getDst().getSelector(), relay.getMetadata().getLabels());
  }

  private static Set<ResourceID> selectedRelays(
      EventSourceContext<PeerRelay> context, RelayGrant g) {
    return context
        .getPrimaryCache()
        .list(g.getMetadata().getNamespace())
        .filter(r -> selects(g, r))
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> relayOf(Map<String, String> labels, String namespace) {
    String relay = labels == null ? null : labels.get(Names.LABEL_RELAY);
    return relay == null ? Set.of() : Set.of(new ResourceID(relay, namespace));
  }
}
