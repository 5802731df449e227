package io.peerrelay.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.core.SessionInfo.ClientInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SidePortRoutesTest {
  private final FakeRelayView relay = new FakeRelayView();
  private final SidePortRoutes routes = new SidePortRoutes(relay);

  @Test
  void readinessIs503WithTheReasonUntilReady() {
    SidePortReply notReady = routes.answer("GET", "/readyz");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("sockets not bound yet\n");

    relay.notReady = null;

    assertThat(routes.answer("GET", "/readyz"))
        .isEqualTo(new SidePortReply(200, SidePortReply.TEXT, "ready\n"));
  }

  @Test
  void livenessFollowsTheView() {
    assertThat(routes.answer("GET", "/healthz").status()).isEqualTo(200);

    relay.notAlive = "event loop stuck";

    assertThat(routes.answer("GET", "/healthz"))
        .isEqualTo(new SidePortReply(503, SidePortReply.TEXT, "event loop stuck\n"));
  }

  @Test
  void metricsAreThePrometheusText() {
    SidePortReply reply = routes.answer("GET", "/metrics");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(reply.body()).isEqualTo(relay.metrics);
  }

  @Test
  void tailnetIsTheNodeStatusJsonAndDisabledInStandaloneMode() {
    SidePortReply reply = routes.answer("GET", "/tailnet");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/json");
    assertThat(reply.body()).startsWith("{\"enabled\":false,").endsWith("}\n");
    assertThat(routes.answer("POST", "/tailnet").status()).isEqualTo(405);
  }

  @Test
  void queryStringsAreIgnored() {
    assertThat(routes.answer("GET", "/metrics?name[]=x").status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "POST, /metrics, 405",
    "HEAD, /healthz, 405",
    "DELETE, /sessions, 405",
    "PUT, /readyz, 405",
    "GET, /, 404",
    "GET, /metrics/, 404",
    "POST, /nope, 404",
    "GET, /q/health, 404"
  })
  void otherMethodsAndPathsAreRefused(String method, String path, int status) {
    assertThat(routes.answer(method, path).status()).isEqualTo(status);
  }

  @Test
  void sessionsAreTailscaleServerStatusJson() {
    relay.sessions =
        List.of(
            new SessionInfo(
                7,
                new ClientInfo("192.0.2.1:41641", "d:0123456789abcdef", 3, 300),
                new ClientInfo("", "d:fedcba9876543210", 0, 0)));

    SidePortReply reply = routes.answer("GET", "/sessions");

    assertThat(reply.contentType()).isEqualTo("application/json");
    assertThat(reply.body())
        .isEqualTo(
            "{\"UDPPort\":40000,\"Sessions\":[{\"VNI\":7,"
                + "\"Client1\":{\"Endpoint\":\"192.0.2.1:41641\",\"ShortDisco\":\"d:0123456789abcdef\","
                + "\"PacketsTx\":3,\"BytesTx\":300},"
                + "\"Client2\":{\"Endpoint\":\"\",\"ShortDisco\":\"d:fedcba9876543210\","
                + "\"PacketsTx\":0,\"BytesTx\":0}}]}\n");
  }

  @Test
  void noSessionsIsNullLikeGo() {
    assertThat(routes.answer("GET", "/sessions").body())
        .isEqualTo("{\"UDPPort\":40000,\"Sessions\":null}\n");
  }

  @Test
  void aFailingViewGivesAnErrorNotAThrow() {
    SidePortRoutes broken =
        new SidePortRoutes(
            new FakeRelayView() {
              @Override
              public String metricsText() {
                throw new IllegalStateException("boom");
              }
            });

    // The handler turns exceptions into 500; the routes themselves let them through.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> broken.answer("GET", "/metrics"))
        .hasMessage("boom");
  }

  @org.junit.jupiter.api.Test
  void sessionsAreServedToLoopbackCallersOnlyWhileProbesAndMetricsAreNot() {
    SidePortRoutes routes = new SidePortRoutes(new FakeRelayView());
    org.assertj.core.api.Assertions.assertThat(routes.answer("GET", "/sessions", false).status())
        .isEqualTo(403);
    org.assertj.core.api.Assertions.assertThat(routes.answer("GET", "/sessions", true).status())
        .isEqualTo(200);
    for (String open : java.util.List.of("/healthz", "/readyz", "/metrics")) {
      org.assertj.core.api.Assertions.assertThat(routes.answer("GET", open, false).status())
          .as(open)
          .isNotEqualTo(403);
    }
  }

  @Test
  void configIsTheContractJsonServedToAnySource() {
    SidePortReply reply = routes.answer("GET", "/config", false);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo("application/json");
    assertThat(reply.body())
        .isEqualTo(
            "{\"applied\":{\"sha256\":\""
                + "ab".repeat(32)
                + "\",\"appliedAt\":\"2026-12-02T00:00:00Z\"},\"rejected\":null,"
                + "\"serverDiscoKey\":\"discokey:"
                + "cd".repeat(32)
                + "\"}\n");
  }

  @Test
  void configShowsTheRefusedFile() {
    relay.configStatus =
        new io.peerrelay.relay.config.ConfigStatus(
            relay.configStatus.applied(),
            new io.peerrelay.relay.config.ConfigStatus.Rejected(
                "ef".repeat(32),
                "lifetimes.bind",
                "0s must be more than 0",
                java.time.Instant.parse("2026-12-02T00:01:00Z")));

    assertThat(routes.answer("GET", "/config").body())
        .contains(
            "\"rejected\":{\"sha256\":\""
                + "ef".repeat(32)
                + "\",\"field\":\"lifetimes.bind\",\"error\":\"0s must be more than 0\","
                + "\"seenAt\":\"2026-12-02T00:01:00Z\"}");
    assertThat(routes.answer("POST", "/config").status()).isEqualTo(405);
  }

  private static List<SessionInfo> numbered(int count) {
    List<SessionInfo> out = new java.util.ArrayList<>();
    for (int vni = 1; vni <= count; vni++) {
      out.add(
          new SessionInfo(
              vni,
              new ClientInfo("192.0.2.1:1", "d:0123456789abcdef", 0, 0),
              new ClientInfo("", "d:fedcba9876543210", 0, 0)));
    }
    return out;
  }

  @Test
  void sessionsArePagedWithANextCursor() throws Exception {
    relay.sessions = numbered(1203);
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();

    var first = json.readTree(routes.answer("GET", "/sessions").body());
    assertThat(first.path("Sessions").size()).isEqualTo(SidePortRoutes.DEFAULT_PAGE);
    assertThat(first.path("next").asInt()).isEqualTo(500);

    var second = json.readTree(routes.answer("GET", "/sessions?limit=700&after=500").body());
    assertThat(second.path("Sessions").get(0).path("VNI").asInt()).isEqualTo(501);
    assertThat(second.path("next").asInt()).isEqualTo(1200);

    var last = json.readTree(routes.answer("GET", "/sessions?after=1200").body());
    assertThat(last.path("Sessions").size()).isEqualTo(3);
    assertThat(last.has("next")).isFalse();

    relay.sessions = numbered(6000);
    var capped = json.readTree(routes.answer("GET", "/sessions?limit=999999").body());
    assertThat(capped.path("Sessions").size()).isEqualTo(SidePortRoutes.MAX_PAGE);
  }

  @Test
  void aBadPageParameterIs400NamingIt() {
    SidePortReply reply = routes.answer("GET", "/sessions?limit=0");
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body()).startsWith("limit=0 is not a whole number of at least 1");
    assertThat(routes.answer("GET", "/sessions?after=x").body()).startsWith("after=x is not");
  }

  @Test
  void aTokenLetsCallersOffTheHostReadSessions() {
    SidePortRoutes withToken = new SidePortRoutes(relay, BearerToken.of("s3cret-token"));

    assertThat(withToken.answer("GET", "/sessions", false, "Bearer s3cret-token").status())
        .isEqualTo(200);
    assertThat(withToken.answer("GET", "/sessions", false, "bearer s3cret-token").status())
        .isEqualTo(200);
    SidePortReply missing = withToken.answer("GET", "/sessions", false, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.body()).contains("needs Authorization: Bearer <token>");
    SidePortReply wrong = withToken.answer("GET", "/sessions", false, "Bearer s3cret-tokeN");
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.body()).contains("does not match");
    assertThat(withToken.answer("GET", "/sessions", false, "Basic czNjcmV0").status())
        .isEqualTo(403);
    assertThat(withToken.answer("GET", "/sessions", true, null).status()).isEqualTo(200);
    relay.notReady = null;
    for (String probe : List.of("/healthz", "/readyz", "/config")) {
      assertThat(withToken.answer("GET", probe, false, null).status()).as(probe).isEqualTo(200);
    }
  }

  @Test
  void aTokenFileMustHoldOneToken(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("token");
    java.nio.file.Files.writeString(file, "abc def\n");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> BearerToken.fromFile(file))
        .hasMessageContaining("--sessions-token-file " + file + ": want one line")
        .hasMessageNotContaining("abc");

    java.nio.file.Files.writeString(file, "abcdef\n");
    assertThat(BearerToken.fromFile(file).matches("Bearer abcdef")).isTrue();
  }
}
