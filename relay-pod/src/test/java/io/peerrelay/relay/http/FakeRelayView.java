package io.peerrelay.relay.http;

import io.peerrelay.relay.config.ConfigStatus;
import io.peerrelay.relay.core.SessionInfo;
import java.time.Instant;
import java.util.List;

/** A relay view whose answers a test sets directly (side-port and CLI tests). */
public class FakeRelayView implements RelayView {
  volatile String notAlive;
  volatile String notReady = "sockets not bound yet";
  volatile String metrics = "# TYPE x counter\nx_total 1.0\n";
  volatile int udpPort = 40000;
  volatile List<SessionInfo> sessions = List.of();
  volatile ConfigStatus configStatus =
      new ConfigStatus(
          new ConfigStatus.Applied("ab".repeat(32), Instant.parse("2026-12-02T00:00:00Z")), null);
  volatile String serverDiscoKey = "discokey:" + "cd".repeat(32);
  private volatile int pagesServed;

  FakeRelayView() {}

  /** A ready relay listing {@code sessions}. */
  public static FakeRelayView listing(List<SessionInfo> sessions) {
    FakeRelayView view = new FakeRelayView();
    view.notReady = null;
    view.sessions = sessions;
    return view;
  }

  /** How many pages of {@code /sessions} were asked for. */
  public int pagesServed() {
    return pagesServed;
  }

  @Override
  public String notAliveReason() {
    return notAlive;
  }

  @Override
  public String notReadyReason() {
    return notReady;
  }

  @Override
  public String metricsText() {
    return metrics;
  }

  @Override
  public int configuredUdpPort() {
    return udpPort;
  }

  @Override
  public List<SessionInfo> sessions(int afterVni, int limit) {
    pagesServed++;
    return sessions.stream().filter(s -> s.vni() > afterVni).limit(limit).toList();
  }

  @Override
  public ConfigStatus configStatus() {
    return configStatus;
  }

  @Override
  public String serverDiscoKey() {
    return serverDiscoKey;
  }
}
