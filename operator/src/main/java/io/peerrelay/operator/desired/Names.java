package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.observe.SecretLookup;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/** Every name, label, path and file key of a PeerRelay's children; nothing else builds them. */
public final class Names {

  /** {@code app.kubernetes.io/name}, always {@link #APP}. */
  public static final String LABEL_NAME = "app.kubernetes.io/name";

  /** {@code app.kubernetes.io/instance}: the PeerRelay's name. */
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";

  /** {@code app.kubernetes.io/managed-by}, always {@link #MANAGER}. */
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The PeerRelay a child belongs to. */
  public static final String LABEL_RELAY = "peerrelay.io/relay";

  /** The replica index a child belongs to; read back with {@link #replicaIndex}. */
  public static final String LABEL_REPLICA = "peerrelay.io/replica";

  /**
   * On every Secret the operator caches, {@code "true"} (users label the Secrets they reference).
   */
  public static final String LABEL_WATCH = SecretLookup.WATCH_LABEL;

  /**
   * Labels of the operator's own Secrets: a replica's labels plus {@link #LABEL_WATCH}, so the one
   * label-selected Secret informer sees them.
   */
  public static Map<String, String> secretLabels(PeerRelay relay, int index) {
    Map<String, String> labels = replicaLabels(relay, index);
    labels.put(LABEL_WATCH, "true");
    return labels;
  }

  /** Annotation on the key Secret: the replica's {@code discokey:<hex>} public key. */
  public static final String ANNOTATION_PUBLIC_KEY = "peerrelay.io/public-key";

  /** Value of {@link #LABEL_NAME}. */
  public static final String APP = "peer-relay";

  /** Value of {@link #LABEL_MANAGED_BY}. */
  public static final String MANAGER = "peerrelay-operator";

  /** Name of the relay container. */
  public static final String CONTAINER = "relay";

  /** ConfigMap data key and file name of the relay config. */
  public static final String CONFIG_KEY = "relay.yaml";

  /** Secret data key and file name of the relay's private key. */
  public static final String KEY_KEY = "private.key";

  /** Where the ConfigMap is mounted (a directory, so updates reach the running pod). */
  public static final String CONFIG_DIR = "/etc/peerrelay/config";

  /** Where the key Secret is mounted. */
  public static final String KEY_DIR = "/etc/peerrelay/key";

  /** The config file the relay is started with. */
  public static final String CONFIG_FILE = CONFIG_DIR + "/" + CONFIG_KEY;

  /** The key file the config points to. */
  public static final String KEY_FILE = KEY_DIR + "/" + KEY_KEY;

  /** Where the tailnet auth-key Secret is mounted (the user's Secret, one projected key). */
  public static final String TAILNET_AUTH_DIR = "/etc/peerrelay/tailnet-auth";

  /** File name the auth key is projected to, whatever its key in the user's Secret. */
  public static final String TAILNET_AUTH_KEY_FILE_NAME = "authkey";

  /** The auth-key file the config points to. */
  public static final String TAILNET_AUTH_FILE =
      TAILNET_AUTH_DIR + "/" + TAILNET_AUTH_KEY_FILE_NAME;

  /** Where the node-state Secret is mounted (read-only). */
  public static final String TAILNET_STATE_DIR = "/etc/peerrelay/tailnet-state";

  /** Node-state Secret data key and file name of the machine private key. */
  public static final String TAILNET_MACHINE_KEY = "machine.key";

  /** Node-state Secret data key and file name of the node private key. */
  public static final String TAILNET_NODE_KEY = "node.key";

  /** Readiness path of the relay's HTTP port. */
  public static final String READINESS_PATH = "/readyz";

  /** Liveness path of the relay's HTTP port. */
  public static final String LIVENESS_PATH = "/healthz";

  /**
   * Longest PeerRelay name whose children all stay valid: a StatefulSet name must leave room for
   * the pod's {@code controller-revision-hash} label (63 characters in all, 52 for the name), and
   * the child name adds {@code -<index>} (up to 3 characters).
   */
  public static final int MAX_RELAY_NAME = 49;

  /**
   * What a PeerRelay name must look like (the CRD checks it too): its Services are named {@code
   * <name>-<index>} and a Service name is a DNS-1035 label (a letter first, no dots).
   */
  public static final String RELAY_NAME_PATTERN = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  private Names() {}

  /** The StatefulSet, Service, ConfigMap and Secret name of replica {@code index}. */
  public static String replica(PeerRelay relay, int index) {
    return replica(relay.getMetadata().getName(), index);
  }

  /** The StatefulSet, Service, ConfigMap and Secret name of replica {@code index}. */
  public static String replica(String relayName, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("negative replica index " + index);
    }
    return relayName + "-" + index;
  }

  /** The node-state Secret of replica {@code index} in tailnet mode. */
  public static String tailnetState(PeerRelay relay, int index) {
    return tailnetState(relay.getMetadata().getName(), index);
  }

  /** The node-state Secret of replica {@code index} in tailnet mode. */
  public static String tailnetState(String relayName, int index) {
    return replica(relayName, index) + "-tailnet";
  }

  /** The pod of replica {@code index} (its StatefulSet has one pod, ordinal 0). */
  public static String pod(PeerRelay relay, int index) {
    return replica(relay, index) + "-0";
  }

  /** The PodDisruptionBudget over all replicas. */
  public static String podDisruptionBudget(PeerRelay relay) {
    return relay.getMetadata().getName();
  }

  /** Labels on every child of the relay (and the selector of the PDB and status.selector). */
  public static Map<String, String> relayLabels(PeerRelay relay) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP);
    labels.put(LABEL_INSTANCE, relay.getMetadata().getName());
    labels.put(LABEL_MANAGED_BY, MANAGER);
    labels.put(LABEL_RELAY, relay.getMetadata().getName());
    return labels;
  }

  /** Labels on every child of one replica, including the replica index. */
  public static Map<String, String> replicaLabels(PeerRelay relay, int index) {
    Map<String, String> labels = relayLabels(relay);
    labels.put(LABEL_REPLICA, Integer.toString(index));
    return labels;
  }

  /** Selector for the pods of one replica; a subset of the labels that never changes. */
  public static Map<String, String> replicaSelector(PeerRelay relay, int index) {
    Map<String, String> selector = relaySelector(relay);
    selector.put(LABEL_REPLICA, Integer.toString(index));
    return selector;
  }

  /** Selector for all pods of a relay. */
  public static Map<String, String> relaySelector(PeerRelay relay) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(LABEL_NAME, APP);
    selector.put(LABEL_RELAY, relay.getMetadata().getName());
    return selector;
  }

  /** {@link #relaySelector} as a label-selector string, for {@code status.selector}. */
  public static String relaySelectorString(PeerRelay relay) {
    return relaySelector(relay).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** The replica index of a child from its labels; empty when absent or not a plain index. */
  public static OptionalInt replicaIndex(Map<String, String> labels) {
    String value = labels == null ? null : labels.get(LABEL_REPLICA);
    // Only canonical decimal forms ("0", "12"): "+1", "01" or "1 " would alias another replica.
    if (value == null
        || value.isEmpty()
        || value.length() > 3
        || !value.chars().allMatch(Names::digit)) {
      return OptionalInt.empty();
    }
    if (value.length() > 1 && value.charAt(0) == '0') {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(value));
  }

  /** The replica index of a child resource; empty when it has no valid replica label. */
  public static OptionalInt replicaIndex(HasMetadata child) {
    return child.getMetadata() == null
        ? OptionalInt.empty()
        : replicaIndex(child.getMetadata().getLabels());
  }

  private static boolean digit(int c) {
    return c >= '0' && c <= '9';
  }
}
