package io.peerrelay.operator.status;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.desired.RelaySecret;
import io.peerrelay.operator.observe.ConfigReport;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.StartRefusal;
import io.peerrelay.operator.observe.TailnetReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What was observed and computed for one replica, the input of its status entry.
 *
 * @param index replica index
 * @param podName the replica's pod, or null while the StatefulSet controller has not created it
 * @param node node the pod runs on, or null while unscheduled
 * @param ready whether the pod is Ready and runs the replica's current template
 * @param publicKey the {@code discokey:<hex>} the relay serves: what its side port's {@code
 *     /config} says, else derived from the private key in its key Secret (never from an annotation
 *     anyone can edit); null before the Secret exists
 * @param endpoints addresses clients must send to (any order; sorted in status)
 * @param tailnet what the relay's side port reported about its tailnet node, or null (tailnet mode
 *     off, or the pod not ready)
 * @param config what the relay's side port reported on {@code /config}, or null (pod not ready)
 * @param writtenSha256 hex SHA-256 of the relay.yaml in the replica's ConfigMap, or null
 * @param startRefusal the config refusal the relay container left when it last exited, or null
 */
public record ReplicaFacts(
    int index,
    String podName,
    String node,
    boolean ready,
    String publicKey,
    List<Endpoint> endpoints,
    TailnetReport tailnet,
    ConfigReport config,
    String writtenSha256,
    StartRefusal startRefusal) {

  public ReplicaFacts {
    endpoints = List.copyOf(endpoints);
  }

  /** The facts of replica {@code i} from the caches, its computed endpoints and its reports. */
  static ReplicaFacts of(
      int i, Observed o, List<Endpoint> endpoints, TailnetReport tailnet, ConfigReport config) {
    Pod pod = o.pods().get(i);
    Secret key = o.keySecrets().get(i);
    String served = config == null ? null : config.servedKey();
    return new ReplicaFacts(
        i,
        pod == null ? null : pod.getMetadata().getName(),
        pod == null || pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        o.replicaReady(i),
        served != null ? served : key == null ? null : RelaySecret.publicKey(key).orElse(null),
        endpoints,
        tailnet,
        config,
        writtenSha256(o.configMaps().get(i)),
        StartRefusal.of(pod, Names.CONTAINER).orElse(null));
  }

  /** Hex SHA-256 of the exact UTF-8 bytes of the relay.yaml the operator wrote, or null. */
  static String writtenSha256(ConfigMap cm) {
    String yaml = cm == null || cm.getData() == null ? null : cm.getData().get(Names.CONFIG_KEY);
    if (yaml == null) {
      return null;
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(yaml.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
