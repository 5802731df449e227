package io.peerrelay.relay.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.peerrelay.relay.core.SessionInfo;
import java.util.List;
import java.util.Map;

/**
 * The side port's pages (health, readiness, metrics, sessions, tailnet status, config), as a pure
 * function of method, path and caller (no sockets), so every answer is tested without a server.
 */
public final class SidePortRoutes {
  /** Sessions per {@code /sessions} page when the caller names no {@code limit}. */
  public static final int DEFAULT_PAGE = 500;

  /** The largest page: about 1 MB of JSON, so 64 readers at once stay within a few tens of MB. */
  public static final int MAX_PAGE = 5000;

  private static final List<String> PATHS =
      List.of("/healthz", "/readyz", "/metrics", "/sessions", "/tailnet", "/config");

  private final RelayView relay;
  private final BearerToken sessionsToken;

  /** Routes with {@code /sessions} for loopback callers only. */
  public SidePortRoutes(RelayView relay) {
    this(relay, null);
  }

  /**
   * @param sessionsToken when not null, callers off the host that present it may read {@code
   *     /sessions}
   */
  public SidePortRoutes(RelayView relay, BearerToken sessionsToken) {
    this.relay = relay;
    this.sessionsToken = sessionsToken;
  }

  /** The answer for one request from this host (tests and loopback callers). */
  public SidePortReply answer(String method, String uri) {
    return answer(method, uri, true, null);
  }

  /** The answer for one request without an {@code Authorization} header. */
  public SidePortReply answer(String method, String uri, boolean fromLoopback) {
    return answer(method, uri, fromLoopback, null);
  }

  /**
   * The answer for one request. {@code /sessions} lists clients' addresses (personal data), so it
   * is served to loopback callers, and to others only with the bearer token: the side port also
   * answers the kubelet and load-balancer health checks from off the host.
   *
   * @param authorization the request's {@code Authorization} header, or null
   */
  public SidePortReply answer(
      String method, String uri, boolean fromLoopback, String authorization) {
    QueryStringDecoder decoded = new QueryStringDecoder(uri);
    String path = decoded.path();
    if (!PATHS.contains(path)) {
      return SidePortReply.text(
          404, "not found: " + path + " (try " + String.join(", ", PATHS) + ")");
    }
    if (!method.equals("GET")) {
      return SidePortReply.text(405, "method " + method + " not allowed (use GET)");
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
        SidePortReply refused = sessionsRefusal(fromLoopback, authorization);
        return refused != null ? refused : sessions(decoded.parameters());
    }
  }

  private SidePortReply sessionsRefusal(boolean fromLoopback, String authorization) {
    if (fromLoopback) {
      return null;
    }
    if (sessionsToken == null) {
      return SidePortReply.text(
          403,
          "/sessions is served on loopback only (run peer-relay sessions on the relay's host, or"
              + " start serve with --sessions-token-file)");
    }
    if (authorization == null) {
      return SidePortReply.text(
          401,
          "/sessions from off the host needs Authorization: Bearer <token> (the token in the"
              + " relay's --sessions-token-file)");
    }
    if (!sessionsToken.matches(authorization)) {
      return SidePortReply.text(
          403, "/sessions: the bearer token does not match the relay's --sessions-token-file");
    }
    return null;
  }

  private SidePortReply sessions(Map<String, List<String>> query) {
    int limit;
    int after;
    try {
      limit = Math.min(number(query, "limit", DEFAULT_PAGE, 1), MAX_PAGE);
      after = number(query, "after", 0, 0);
    } catch (IllegalArgumentException e) {
      return SidePortReply.text(400, e.getMessage());
    }
    // One more than the page tells whether another page follows, without counting the table.
    List<SessionInfo> page = relay.sessions(after, limit + 1);
    Integer next = null;
    if (page.size() > limit) {
      page = page.subList(0, limit);
      next = page.get(limit - 1).vni();
    }
    return new SidePortReply(
        200,
        SidePortReply.JSON,
        SessionListingJson.render(relay.configuredUdpPort(), page, next) + "\n");
  }

  private static int number(Map<String, List<String>> query, String name, int fallback, int min) {
    List<String> values = query.get(name);
    if (values == null || values.isEmpty()) {
      return fallback;
    }
    String text = values.get(values.size() - 1);
    try {
      int value = Integer.parseInt(text);
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        name
            + "="
            + text
            + " is not a whole number of at least "
            + min
            + " (e.g. /sessions?limit="
            + DEFAULT_PAGE
            + "&after=<the previous page's next>)");
  }

  private static SidePortReply probe(String problem, String good) {
    return problem == null ? SidePortReply.text(200, good) : SidePortReply.text(503, problem);
  }
}
