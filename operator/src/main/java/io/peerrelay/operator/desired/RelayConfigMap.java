package io.peerrelay.operator.desired;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.peerrelay.operator.api.Lifetimes;
import io.peerrelay.operator.api.Limits;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.Tailnet;
import io.peerrelay.operator.observe.Endpoint;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The ConfigMap holding replica {@code i}'s relay config file (version 1), rendered byte for byte
 * like the golden files the relay's tests parse.
 */
public final class RelayConfigMap {

  /** The config format version the relay understands. */
  public static final int CONFIG_VERSION = 1;

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  /** The relay config file; property order is the file's field order. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({
    "version",
    "udpPort",
    "httpPort",
    "keyFile",
    "advertisedEndpoints",
    "allowedClientKeys",
    "tailnet",
    "lifetimes",
    "limits",
    "shutdown"
  })
  public record RelayConfig(
      int version,
      int udpPort,
      int httpPort,
      String keyFile,
      List<String> advertisedEndpoints,
      List<String> allowedClientKeys,
      ConfigTailnet tailnet,
      ConfigLifetimes lifetimes,
      ConfigLimits limits,
      Shutdown shutdown) {}

  /** {@code tailnet:} section (tailnet mode only). */
  @JsonPropertyOrder({"controlUrl", "authKeyFile", "stateDir", "hostname", "tags"})
  public record ConfigTailnet(
      String controlUrl, String authKeyFile, String stateDir, String hostname, List<String> tags) {}

  /** {@code lifetimes:} section. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"bind", "steadyState", "gcInterval"})
  public record ConfigLifetimes(String bind, String steadyState, String gcInterval) {}

  /** {@code limits:} section. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonPropertyOrder({"maxSessions", "handshakesPerSecondPerSource", "handshakeBurstPerSource"})
  public record ConfigLimits(
      Integer maxSessions, Integer handshakesPerSecondPerSource, Integer handshakeBurstPerSource) {}

  /** {@code shutdown:} section. */
  public record Shutdown(String drain) {}

  private RelayConfigMap() {}

  /**
   * The ConfigMap of replica {@code index}.
   *
   * @param endpoints the replica's advertised endpoints, already sorted (see observe/Endpoints);
   *     written here as text
   * @param clientKeys granted client keys ({@code discokey:<hex>}); sorted and de-duplicated here
   */
  public static ConfigMap relayConfigMap(
      PeerRelay relay, int index, List<Endpoint> endpoints, Collection<String> clientKeys) {
    ConfigMap configMap =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(Names.replica(relay, index))
            .withNamespace(relay.getMetadata().getNamespace())
            .withLabels(Names.replicaLabels(relay, index))
            .endMetadata()
            .addToData(
                Names.CONFIG_KEY,
                render(relayConfig(relay.getSpec(), endpoints, clientKeys, tailnet(relay, index))))
            .build();
    Owners.own(configMap, relay);
    return configMap;
  }

  /** The config document of a replica; optional sections appear only when the spec sets them. */
  public static RelayConfig relayConfig(
      PeerRelaySpec spec,
      List<Endpoint> endpoints,
      Collection<String> clientKeys,
      ConfigTailnet tailnet) {
    Lifetimes l = spec.getLifetimes();
    Limits m = spec.getLimits();
    String drain = spec.getDrain();
    return new RelayConfig(
        CONFIG_VERSION,
        spec.getUdpPort(),
        spec.getHttpPort(),
        Names.KEY_FILE,
        endpoints.stream().map(Endpoint::toString).toList(),
        // Sorted so the same grants always give the same bytes (no reload, no status churn).
        List.copyOf(new TreeSet<>(clientKeys)),
        tailnet,
        l == null ? null : new ConfigLifetimes(l.getBind(), l.getSteadyState(), l.getGcInterval()),
        m == null
            ? null
            : new ConfigLimits(
                m.getMaxSessions(),
                m.getHandshakesPerSecondPerSource(),
                m.getHandshakeBurstPerSource()),
        drain == null || drain.isEmpty() ? null : new Shutdown(drain));
  }

  /**
   * Replica {@code index}'s {@code tailnet:} section: where the pod mounts the auth key and the
   * node state, and its node's hostname; null outside tailnet mode.
   */
  static ConfigTailnet tailnet(PeerRelay relay, int index) {
    Tailnet t = relay.getSpec().getTailnet();
    if (t == null) {
      return null;
    }
    return new ConfigTailnet(
        t.controlUrlOrDefault(),
        Names.TAILNET_AUTH_FILE,
        Names.TAILNET_STATE_DIR,
        Names.replica(t.hostnamePrefixOr(relay.getMetadata().getName()), index),
        List.copyOf(t.tagsOrEmpty()));
  }

  /** The config file's bytes (as text) for a config document. */
  public static String render(RelayConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
