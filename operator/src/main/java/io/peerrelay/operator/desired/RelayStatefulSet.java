package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.Tailnet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The StatefulSet (one pod) that runs replica {@code i}'s relay on the host network. */
public final class RelayStatefulSet {

  /** Fixed non-root UID and GID of the relay (the distroless "nonroot" user). */
  public static final long RELAY_UID = 65532L;

  /** Node label an Elastic IP's zone pins the replica to. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /**
   * Seconds added to the drain: the relay gets SIGTERM, drains for {@code spec.drain}, then needs a
   * moment to close sockets and flush metrics before the kubelet's SIGKILL.
   */
  public static final long TERMINATION_MARGIN_SECONDS = 5;

  private static final int MODE_OWNER_GROUP_READ = 0440;

  private static final String TAILNET_AUTH_VOLUME = "tailnet-auth";
  private static final String TAILNET_STATE_VOLUME = "tailnet-state";

  private RelayStatefulSet() {}

  /**
   * The StatefulSet of replica {@code index}.
   *
   * @param defaultImage the operator's relay image, used when {@code spec.image} is empty
   */
  public static StatefulSet relayStatefulSet(PeerRelay relay, int index, String defaultImage) {
    PeerRelaySpec spec = relay.getSpec();
    String name = Names.replica(relay, index);
    Map<String, String> podLabels = new LinkedHashMap<>(orEmpty(spec.getPodLabels()));
    podLabels.putAll(Names.replicaLabels(relay, index)); // ours win: selectors depend on them
    StatefulSet sts =
        new StatefulSetBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(relay.getMetadata().getNamespace())
            .withLabels(Names.replicaLabels(relay, index))
            .endMetadata()
            .withNewSpec()
            // One pod per StatefulSet: a stable pod name and never two relays of one replica.
            .withReplicas(1)
            .withServiceName(name)
            .withPodManagementPolicy("Parallel")
            .withRevisionHistoryLimit(3)
            .withNewSelector()
            .withMatchLabels(Names.replicaSelector(relay, index))
            .endSelector()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .endUpdateStrategy()
            // No config hash here on purpose: the relay hot-reloads its ConfigMap and Secret, so a
            // config change must not restart the pod (that would drop every session).
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(podLabels)
            .withAnnotations(nullIfEmpty(spec.getPodAnnotations()))
            .endMetadata()
            .withSpec(podSpec(relay, index, defaultImage))
            .endTemplate()
            .endSpec()
            .build();
    Owners.own(sts, relay);
    return sts;
  }

  /** Seconds the kubelet waits after SIGTERM: the configured drain plus a margin. */
  public static long terminationGracePeriodSeconds(PeerRelaySpec spec) {
    Duration drain = GoDuration.parse(spec.drainOrDefault());
    long seconds = drain.getSeconds() + (drain.getNano() > 0 ? 1 : 0);
    return seconds + TERMINATION_MARGIN_SECONDS;
  }

  /** Node selector of replica {@code index}: the user's plus the zone of its pinned EIP. */
  public static Map<String, String> nodeSelector(PeerRelaySpec spec, int index) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("kubernetes.io/os", "linux");
    selector.putAll(orEmpty(spec.getNodeSelector()));
    // An NLB only forwards to targets in its enabled zones: a replica pinned to an EIP (and so to
    // a subnet) must run in that subnet's zone or it receives nothing.
    pinnedElasticIp(spec, index)
        .map(ElasticIP::getZone)
        .filter(z -> !z.isEmpty())
        .ifPresent(zone -> selector.put(ZONE_LABEL, zone));
    return selector;
  }

  static Optional<ElasticIP> pinnedElasticIp(PeerRelaySpec spec, int index) {
    if (spec.getExposure() == null || spec.getExposure().getElasticIPs() == null) {
      return Optional.empty();
    }
    List<ElasticIP> eips = spec.getExposure().getElasticIPs();
    return index < eips.size() ? Optional.ofNullable(eips.get(index)) : Optional.empty();
  }

  private static PodSpec podSpec(PeerRelay relay, int index, String defaultImage) {
    PeerRelaySpec spec = relay.getSpec();
    String name = Names.replica(relay, index);
    PodSpec pod =
        new PodSpecBuilder()
            // The relay must see client source addresses and own a node port: host network, and
            // hostPorts so the scheduler never puts two relays of the same port on one node.
            .withHostNetwork(true)
            .withDnsPolicy("ClusterFirstWithHostNet")
            // Relays never talk to the API server.
            .withAutomountServiceAccountToken(false)
            .withEnableServiceLinks(false)
            .withTerminationGracePeriodSeconds(terminationGracePeriodSeconds(spec))
            .withNodeSelector(nodeSelector(spec, index))
            .withTolerations(nullIfEmpty(spec.getTolerations()))
            .withImagePullSecrets(nullIfEmpty(spec.getImagePullSecrets()))
            .withPriorityClassName(emptyToNull(spec.getPriorityClassName()))
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(RELAY_UID)
            .withRunAsGroup(RELAY_UID)
            // fsGroup makes the 0440 key file readable by the relay's group.
            .withFsGroup(RELAY_UID)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .withContainers(container(spec, defaultImage))
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName(name)
            .endConfigMap()
            .endVolume()
            .addNewVolume()
            .withName("key")
            .withNewSecret()
            .withSecretName(name)
            .withDefaultMode(MODE_OWNER_GROUP_READ)
            .endSecret()
            .endVolume()
            // Read-only root filesystem: give the runtime a small scratch directory.
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .withMedium("Memory")
            .withSizeLimit(new Quantity("16Mi"))
            .endEmptyDir()
            .endVolume()
            .build();
    if (spec.getTailnet() != null) {
      addTailnetVolumes(pod, spec.getTailnet(), Names.tailnetState(relay, index));
    }
    return pod;
  }

  /**
   * Tailnet mode: the user's auth-key Secret (its key projected to the file {@code authkey};
   * optional, so a missing Secret does not keep the pod from starting: the relay and the
   * TailnetRegistered condition report it) and the replica's node-state Secret, both read-only.
   */
  private static void addTailnetVolumes(PodSpec pod, Tailnet tailnet, String stateSecret) {
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(TAILNET_AUTH_VOLUME)
                .withNewSecret()
                .withSecretName(tailnet.authKeySecretName())
                .withOptional(true)
                .withDefaultMode(MODE_OWNER_GROUP_READ)
                .addNewItem()
                .withKey(tailnet.authKeyOrDefault())
                .withPath(Names.TAILNET_AUTH_KEY_FILE_NAME)
                .endItem()
                .endSecret()
                .build());
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(TAILNET_STATE_VOLUME)
                .withNewSecret()
                .withSecretName(stateSecret)
                .withDefaultMode(MODE_OWNER_GROUP_READ)
                .endSecret()
                .build());
    List<VolumeMount> mounts = pod.getContainers().get(0).getVolumeMounts();
    mounts.add(readOnlyMount(TAILNET_AUTH_VOLUME, Names.TAILNET_AUTH_DIR));
    mounts.add(readOnlyMount(TAILNET_STATE_VOLUME, Names.TAILNET_STATE_DIR));
  }

  private static VolumeMount readOnlyMount(String volume, String path) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build();
  }

  private static Container container(PeerRelaySpec spec, String defaultImage) {
    int udp = spec.getUdpPort();
    int http = spec.getHttpPort();
    return new ContainerBuilder()
        .withName(Names.CONTAINER)
        .withImage(
            spec.getImage() == null || spec.getImage().isEmpty() ? defaultImage : spec.getImage())
        .withImagePullPolicy(
            spec.getImagePullPolicy() == null ? null : spec.getImagePullPolicy().name())
        .withCommand("peer-relay", "serve", "--config", Names.CONFIG_FILE)
        .addNewPort()
        .withName("relay")
        .withProtocol("UDP")
        .withContainerPort(udp)
        .withHostPort(udp)
        .endPort()
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withContainerPort(http)
        .withHostPort(http)
        .endPort()
        .withReadinessProbe(probe(Names.READINESS_PATH, http, 5, 2))
        .withLivenessProbe(probe(Names.LIVENESS_PATH, http, 10, 3))
        .withResources(resources(spec.getResources()))
        // A relay that refuses its config at start writes "<field>: <error>" to the default
        // termination-message file; the operator reads it back (observe/StartRefusal).
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        // Whole-directory mounts (no subPath): the kubelet swaps the files in place, which is what
        // lets the relay hot-reload; subPath mounts never see updates.
        .addNewVolumeMount()
        .withName("config")
        .withMountPath(Names.CONFIG_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("key")
        .withMountPath(Names.KEY_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .build();
  }

  private static Probe probe(String path, int port, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withPort(new IntOrString(port))
        .withScheme("HTTP")
        .endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .withSuccessThreshold(1)
        .build();
  }

  /** The user's resources, or small defaults sized for a UDP forwarder. */
  static ResourceRequirements resources(ResourceRequirements user) {
    if (user != null && !(isEmpty(user.getRequests()) && isEmpty(user.getLimits()))) {
      return user;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("64Mi"))
        .addToLimits("memory", new Quantity("256Mi"))
        .build();
  }

  private static boolean isEmpty(Map<?, ?> m) {
    return m == null || m.isEmpty();
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> m) {
    return m == null ? Map.of() : m;
  }

  private static <K, V> Map<K, V> nullIfEmpty(Map<K, V> m) {
    return m == null || m.isEmpty() ? null : new LinkedHashMap<>(m);
  }

  private static <T> List<T> nullIfEmpty(List<T> l) {
    return l == null || l.isEmpty() ? null : new ArrayList<>(l);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
