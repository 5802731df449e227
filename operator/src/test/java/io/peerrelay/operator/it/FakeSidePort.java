package io.peerrelay.operator.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A relay's side port on loopback answering one route with whatever JSON {@code answer} holds at
 * the time: where a test points the relay pod's address, so the operator's probe reaches it.
 */
final class FakeSidePort {

  private FakeSidePort() {}

  /** A started server answering {@code GET path} with 200 and {@code answer}'s JSON. */
  static HttpServer serve(String path, AtomicReference<String> answer) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        path,
        exchange -> {
          byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }
}
