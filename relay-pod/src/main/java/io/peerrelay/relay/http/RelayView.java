package io.peerrelay.relay.http;

import io.peerrelay.relay.config.ConfigStatus;
import io.peerrelay.relay.core.SessionInfo;
import java.util.List;

/** What the HTTP side port reports on; the serve command implements it over the running relay. */
public interface RelayView {
  /** Null while the process can do its work, else a one-line reason (liveness). */
  String notAliveReason();

  /** Null while the relay should get traffic, else a one-line reason (readiness). */
  String notReadyReason();

  /** Prometheus text exposition of every metric. */
  String metricsText();

  /** The UDP port from the config file (Tailscale lists the configured port, not the bound one). */
  int configuredUdpPort();

  /** At most {@code limit} live sessions with a VNI above {@code afterVni}, sorted by VNI. */
  List<SessionInfo> sessions(int afterVni, int limit);

  /** The config file in force and the last one refused, for GET /config. */
  ConfigStatus configStatus();

  /** The key the relay serves, {@code discokey:<64 hex>}, derived from the private key it holds. */
  String serverDiscoKey();

  /** The body of GET /tailnet: the tailnet node's status, or enabled=false in standalone mode. */
  default String tailnetJson() {
    return io.peerrelay.relay.tailnet.TailnetStatus.disabledJson();
  }
}
