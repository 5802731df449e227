package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.desired.RelayConfigMap;
import io.peerrelay.operator.desired.RelayKeys;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.desired.RelayService;
import io.peerrelay.operator.desired.RelayStatefulSet;
import io.peerrelay.operator.observe.Endpoint;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every per-replica child one reconcile wants, each built once by the pure builders: the reconciler
 * hands the plan to the rollout, the dependents (through the JOSDK context) and the status.
 *
 * @param statefulSets per replica, its StatefulSet stamped with its template digest (see {@link
 *     #holding})
 * @param configMaps per replica, its relay config
 * @param services per replica, its Service (none in NodeAddress and None modes)
 * @param keySecrets per replica, its key Secret: the existing one, or one with a fresh key (the pod
 *     template carries its public key's fingerprint, so a new key rolls the replica's pod)
 * @param overriddenAnnotations the user Service annotations the operator had to replace, sorted
 */
public record RelayPlan(
    Map<Integer, StatefulSet> statefulSets,
    Map<Integer, ConfigMap> configMaps,
    Map<Integer, Service> services,
    Map<Integer, Secret> keySecrets,
    List<String> overriddenAnnotations) {

  private static final String KEY = RelayPlan.class.getName();

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Builds every child of {@code relay}'s replicas.
   *
   * @param defaultImage the operator's relay image, for PeerRelays without {@code spec.image}
   * @param endpoints per replica, the endpoints to advertise (sorted)
   * @param grantedKeys client keys granted to this relay
   * @param keySecrets per replica, the key Secrets that exist
   */
  public static RelayPlan of(
      PeerRelay relay,
      String defaultImage,
      Map<Integer, List<Endpoint>> endpoints,
      Collection<String> grantedKeys,
      Map<Integer, Secret> keySecrets) {
    Map<Integer, StatefulSet> statefulSets = new TreeMap<>();
    Map<Integer, ConfigMap> configMaps = new TreeMap<>();
    Map<Integer, Service> services = new TreeMap<>();
    Map<Integer, Secret> keys = new TreeMap<>();
    SortedSet<String> overridden = new TreeSet<>();
    for (int i = 0; i < relay.getSpec().replicaCount(); i++) {
      Secret key = keySecrets.get(i);
      keys.put(i, key != null ? key : newKeySecret(relay, i));
      StatefulSet sts =
          ChildMetadata.withAnnotationMap(
              RelayStatefulSet.relayStatefulSet(relay, i, defaultImage));
      withKeyFingerprint(sts, keys.get(i));
      stamp(sts, TemplateHash.of(sts.getSpec().getTemplate()));
      statefulSets.put(i, sts);
      configMaps.put(
          i,
          ChildMetadata.withAnnotationMap(
              RelayConfigMap.relayConfigMap(
                  relay, i, endpoints.getOrDefault(i, List.of()), grantedKeys)));
      int replica = i;
      RelayService.desired(relay, i)
          .ifPresent(
              d -> {
                services.put(replica, ChildMetadata.withAnnotationMap(d.service()));
                d.overridden().forEach(a -> overridden.add(a.toString()));
              });
    }
    return new RelayPlan(statefulSets, configMaps, services, keys, List.copyOf(overridden));
  }

  /** A key Secret with a freshly generated X25519 disco key. */
  private static Secret newKeySecret(PeerRelay relay, int i) {
    RelayKeys.DiscoKeyPair pair = RelayKeys.generateDisco(RANDOM);
    return RelaySecret.relaySecret(relay, i, pair.privateKey(), pair.publicKey());
  }

  /**
   * Stamps the pod template with the fingerprint of the key the pod must serve: a key Secret
   * deleted to rotate the key gets a new key, the template changes, and the StatefulSet rolls the
   * pod (the running relay would keep the old key). Derived from the private key, not from an
   * annotation.
   */
  private static void withKeyFingerprint(StatefulSet sts, Secret key) {
    String publicKey = RelaySecret.publicKey(key).orElse("");
    var meta = sts.getSpec().getTemplate().getMetadata();
    Map<String, String> annotations =
        meta.getAnnotations() == null ? new TreeMap<>() : new TreeMap<>(meta.getAnnotations());
    annotations.put(RelaySecret.ANNOTATION_KEY_FINGERPRINT, RelaySecret.fingerprint(publicKey));
    meta.setAnnotations(annotations);
  }

  /** The template digest replica {@code i}'s StatefulSet is stamped with, or null. */
  public String templateHash(int i) {
    StatefulSet sts = statefulSets.get(i);
    return sts == null ? null : TemplateHash.stampedOn(sts);
  }

  /**
   * This plan with the replicas in {@code hold} keeping the template (and digest) they run, from
   * {@code running}: the rollout lets them take the new one later.
   */
  public RelayPlan holding(Set<Integer> hold, Map<Integer, StatefulSet> running) {
    for (int i : hold) {
      StatefulSet held = running.get(i);
      StatefulSet sts = statefulSets.get(i);
      if (sts != null && held != null && TemplateHash.stampedOn(held) != null) {
        sts.getSpec().setTemplate(held.getSpec().getTemplate());
        stamp(sts, TemplateHash.stampedOn(held));
      }
    }
    return this;
  }

  /** Hands this plan to the dependents of the current reconcile. */
  public void handTo(Context<PeerRelay> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  /** The plan of the current reconcile. */
  static RelayPlan of(Context<PeerRelay> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(KEY, RelayPlan.class);
  }

  /** {@code children} keyed as JOSDK's bulk dependents key them. */
  static <T extends HasMetadata> Map<ResourceID, T> byId(Map<Integer, T> children) {
    Map<ResourceID, T> out = new HashMap<>();
    children.values().forEach(c -> out.put(ResourceID.fromResource(c), c));
    return out;
  }

  private static void stamp(StatefulSet sts, String hash) {
    sts.getMetadata().getAnnotations().put(TemplateHash.ANNOTATION, hash);
  }
}
