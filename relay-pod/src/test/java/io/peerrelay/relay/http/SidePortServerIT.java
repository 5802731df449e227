package io.peerrelay.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SidePortServerIT {
  private final FakeRelayView relay = new FakeRelayView();
  private final HttpClient http = HttpClient.newHttpClient();
  private SidePortServer server;

  @BeforeEach
  void start() throws Exception {
    relay.metrics = "# TYPE tailscaled_peer_relay_endpoints gauge\n";
    server = SidePortServer.start(0, new SidePortRoutes(relay));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersProbesMetricsAndSessionsOverRealHttp() throws Exception {
    assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> notReady = send("GET", "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).isEqualTo("sockets not bound yet\n");

    relay.notReady = null;
    assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);

    HttpResponse<String> metrics = send("GET", "/metrics");
    assertThat(metrics.headers().firstValue("content-type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(metrics.body()).isEqualTo(relay.metrics);

    assertThat(send("GET", "/sessions").body())
        .isEqualTo("{\"UDPPort\":40000,\"Sessions\":null}\n");
  }

  @Test
  void refusesOtherMethodsWith405AndUnknownPathsWith404() throws Exception {
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");
    assertThat(send("GET", "/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void servesManyRequestsOnOneKeptAliveConnection() throws Exception {
    for (int i = 0; i < 50; i++) {
      assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void answersHttp10AndClosesTheConnection() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /healthz HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(answer).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nalive\n");
    }
  }

  @Test
  void garbageGetsA400() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket
          .getOutputStream()
          .write("\u0001\u0002 nonsense\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);

      assertThat(answer).startsWith("HTTP/1.1 400");
    }
  }

  @Test
  void closeReleasesThePort() throws Exception {
    int port = server.port();
    server.close();

    SidePortServer again = SidePortServer.start(port, new SidePortRoutes(relay));
    try {
      assertThat(again.port()).isEqualTo(port);
    } finally {
      again.close();
    }
  }
}
