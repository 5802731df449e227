package io.peerrelay.operator;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The operator's configuration, read from environment variables and {@code --name=value} flags.
 *
 * <p>A flag {@code --watch-namespaces=a,b} overrides the variable {@code
 * PEERRELAY_WATCH_NAMESPACES}; every setting has both forms so the Helm chart can use env and a
 * developer can use flags.
 *
 * @param watchNamespaces namespaces whose PeerRelays are reconciled; empty means all namespaces
 * @param defaultRelayImage the relay image used when a PeerRelay leaves {@code spec.image} empty
 * @param healthPort port of the liveness/readiness HTTP endpoint
 * @param metricsPort port of the Prometheus endpoint
 * @param leaderElection whether to take a Lease before reconciling (off only for a single copy)
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease (the operator's own namespace)
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    String defaultRelayImage,
    int healthPort,
    int metricsPort,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace) {

  /** The relay image of this release; the Helm chart sets the variable to the same value. */
  public static final String DEFAULT_RELAY_IMAGE = "ghcr.io/peerrelay/peer-relay:0.1.0";

  /** Reads the settings from {@code env} with {@code args} taking precedence. */
  public static OperatorSettings from(Map<String, String> env, String[] args) {
    Map<String, String> values = new HashMap<>(env);
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("expected --name=value, got " + arg);
      }
      String name = arg.substring(2, arg.indexOf('='));
      values.put(variableFor(name), arg.substring(arg.indexOf('=') + 1));
    }
    return new OperatorSettings(
        namespaces(values.getOrDefault("PEERRELAY_WATCH_NAMESPACES", "")),
        values.getOrDefault("PEERRELAY_RELAY_IMAGE", DEFAULT_RELAY_IMAGE),
        port(values, "PEERRELAY_HEALTH_PORT", 8081),
        port(values, "PEERRELAY_METRICS_PORT", 8080),
        Boolean.parseBoolean(values.getOrDefault("PEERRELAY_LEADER_ELECTION", "true")),
        values.getOrDefault("PEERRELAY_LEASE_NAME", "peerrelay-operator"),
        // POD_NAMESPACE comes from the downward API in the chart's Deployment.
        values.getOrDefault(
            "PEERRELAY_LEASE_NAMESPACE", values.getOrDefault("POD_NAMESPACE", "peerrelay-system")));
  }

  /** {@code watch-namespaces} → {@code PEERRELAY_WATCH_NAMESPACES}. */
  static String variableFor(String flag) {
    return "PEERRELAY_" + flag.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static Set<String> namespaces(String csv) {
    Set<String> out = new LinkedHashSet<>();
    Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
    return Set.copyOf(out);
  }

  private static int port(Map<String, String> values, String name, int fallback) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    int p = Integer.parseInt(v.trim());
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException(name + " must be a port number, got " + v);
    }
    return p;
  }
}
