package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The probe against a real HTTP server on loopback. */
class TailnetProbeTest {

  private static HttpServer serve(int status, String body) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/tailnet",
        exchange -> {
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    return server;
  }

  private static Endpoint at(HttpServer server) {
    return new Endpoint(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
  }

  @Test
  void readsTheRelaysAnswerIgnoringUnknownFields() throws IOException {
    HttpServer server =
        serve(
            200,
            "{\"enabled\":true,\"state\":\"Registered\",\"message\":\"\",\"nodeName\":\"office-0\","
                + "\"nodeKey\":\"nodekey:ab\",\"tailscaleIPs\":[\"100.64.0.3\"],\"online\":true,"
                + "\"derpConnected\":true,\"homeDerp\":2,\"future\":{\"x\":1}}");
    try {
      TailnetReport r = new TailnetProbe().probe(Map.of(0, at(server))).get(0);
      assertThat(r.registered()).isTrue();
      assertThat(r.nodeName()).isEqualTo("office-0");
      assertThat(r.tailscaleIPs()).containsExactly("100.64.0.3");
      assertThat(r.online()).isTrue();
      assertThat(r.homeDerp()).isEqualTo(2);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void errorsGarbageAndOversizedAnswersAreNotAnswering() throws IOException {
    HttpServer notFound = serve(404, "no");
    HttpServer garbage = serve(200, "<html>");
    HttpServer huge = serve(200, "{\"message\":\"" + "x".repeat(TailnetProbe.MAX_BODY) + "\"}");
    try {
      Map<Integer, TailnetReport> r =
          new TailnetProbe().probe(Map.of(0, at(notFound), 1, at(garbage), 2, at(huge)));
      assertThat(r.get(0).state()).isEqualTo(TailnetReport.NOT_ANSWERING);
      assertThat(r.get(0).message()).contains("HTTP 404");
      assertThat(r.get(1).message()).contains("no tailnet JSON");
      assertThat(r.get(2).message()).contains("over 64 KiB");
      assertThat(r.values()).noneMatch(TailnetReport::registered);
    } finally {
      notFound.stop(0);
      garbage.stop(0);
      huge.stop(0);
    }
  }

  @Test
  void aClosedPortIsNotAnswering() throws IOException {
    HttpServer server = serve(200, "{}");
    Endpoint closed = at(server);
    server.stop(0);
    TailnetReport r = new TailnetProbe().probe(Map.of(0, closed)).get(0);
    assertThat(r.state()).isEqualTo(TailnetReport.NOT_ANSWERING);
    assertThat(r.message()).contains("did not answer");
  }
}
