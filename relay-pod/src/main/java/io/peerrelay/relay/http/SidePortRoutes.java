package io.peerrelay.relay.http;

/**
 * The side port's pages (health, readiness, metrics, sessions, tailnet status), as a pure function
 * of method and path (no sockets), so every answer is tested without a server.
 */
public final class SidePortRoutes {
  private final RelayView relay;

  public SidePortRoutes(RelayView relay) {
    this.relay = relay;
  }

  /** The answer for one request from this host (tests and loopback callers). */
  public SidePortReply answer(String method, String uri) {
    return answer(method, uri, true);
  }

  /**
   * The answer for one request; {@code uri} may carry a query string, which is ignored. {@code
   * /sessions} lists clients' addresses (personal data), so it is served to loopback callers only:
   * the side port also answers the kubelet and load-balancer health checks from off the host.
   */
  public SidePortReply answer(String method, String uri, boolean fromLoopback) {
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    switch (path) {
      case "/healthz":
      case "/readyz":
      case "/metrics":
      case "/sessions":
      case "/tailnet":
      case "/config":
        break;
      default:
        return SidePortReply.text(
            404,
            "not found: "
                + path
                + " (try /healthz, /readyz, /metrics, /sessions, /tailnet, /config)");
    }
    if (!method.equals("GET")) {
      return SidePortReply.text(405, "method " + method + " not allowed (use GET)");
    }
    if (path.equals("/sessions") && !fromLoopback) {
      return SidePortReply.text(
          403,
          "/sessions is served on loopback only (run peer-relay sessions on the relay's host)");
    }
    switch (path) {
      case "/healthz":
        return probe(relay.notAliveReason(), "alive");
      case "/readyz":
        return probe(relay.notReadyReason(), "ready");
      case "/metrics":
        return new SidePortReply(200, SidePortReply.PROMETHEUS, relay.metricsText());
      case "/tailnet":
        return new SidePortReply(200, SidePortReply.JSON, relay.tailnetJson() + "\n");
      case "/config":
        return new SidePortReply(
            200,
            SidePortReply.JSON,
            ConfigStatusJson.render(relay.configStatus(), relay.serverDiscoKey()) + "\n");
      default:
        return new SidePortReply(
            200,
            SidePortReply.JSON,
            SessionListingJson.render(relay.configuredUdpPort(), relay.sessions()) + "\n");
    }
  }

  private static SidePortReply probe(String problem, String good) {
    return problem == null ? SidePortReply.text(200, good) : SidePortReply.text(503, problem);
  }
}
