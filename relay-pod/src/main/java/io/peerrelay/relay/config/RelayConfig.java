package io.peerrelay.relay.config;

import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One parsed and validated relay config file (version 1): what the operator rendered for a replica.
 *
 * <p>Lists keep the file's order so that log lines and the allocation answer follow what the
 * operator wrote. {@code tailnet} is null unless the file has a tailnet block (tailnet mode).
 */
public record RelayConfig(
    int udpPort,
    int httpPort,
    Path keyFile,
    List<DiscoPublicKey> allowedClientKeys,
    RelaySettings settings,
    Duration shutdownDrain,
    TailnetConfig tailnet) {

  /** The only config version this relay reads. */
  public static final int VERSION = 1;

  /** How long a draining relay keeps forwarding when the file says nothing. */
  public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(10);

  /**
   * At most this many advertised endpoints, so an allocation answer stays smaller than a request.
   */
  public static final int MAX_ENDPOINTS = 16;

  /**
   * @param allowedClientKeys the granted keys in the file's order (for messages); the set the core
   *     uses is {@code settings.allowedClientKeys()}
   * @param settings the part of this config that the core applies live
   */
  public RelayConfig {
    allowedClientKeys = List.copyOf(allowedClientKeys);
  }

  /** The advertised endpoints, in the file's order. */
  public List<InetSocketAddress> advertisedEndpoints() {
    return settings.advertisedEndpoints();
  }

  /**
   * Why this config cannot replace {@code running} without a restart, or null if it can.
   *
   * <p>Ports and the key file path are bound at start: changing a port means re-binding sockets
   * (which would drop every session's path), and the key is the relay's identity.
   */
  public String restartReasonComparedTo(RelayConfig running) {
    String field = restartFieldComparedTo(running);
    if (field == null) {
      return null;
    }
    return switch (field) {
      case "udpPort" -> "udpPort changed from " + running.udpPort + " to " + udpPort;
      case "httpPort" -> "httpPort changed from " + running.httpPort + " to " + httpPort;
      case "keyFile" -> "keyFile changed from " + running.keyFile + " to " + keyFile;
      default -> "the tailnet block changed"; // its identity and control session are set at start
    };
  }

  /** The field that makes this config need a restart compared to {@code running}, or null. */
  public String restartFieldComparedTo(RelayConfig running) {
    if (udpPort != running.udpPort) {
      return "udpPort";
    }
    if (httpPort != running.httpPort) {
      return "httpPort";
    }
    if (!keyFile.equals(running.keyFile)) {
      return "keyFile";
    }
    return java.util.Objects.equals(tailnet, running.tailnet) ? null : "tailnet";
  }
}
