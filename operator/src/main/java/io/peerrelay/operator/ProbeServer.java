package io.peerrelay.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's two HTTP side ports: health ({@code /healthz}, {@code /readyz}) and Prometheus
 * ({@code /metrics}).
 *
 * <p>They are separate ports so a NetworkPolicy or PodMonitor can open metrics without opening
 * anything else, and so a slow scrape never delays a kubelet probe.
 */
public final class ProbeServer implements AutoCloseable {

  private final HttpServer health;
  private final HttpServer metrics;

  private ProbeServer(HttpServer health, HttpServer metrics) {
    this.health = health;
    this.metrics = metrics;
  }

  /**
   * Starts both servers on all interfaces ({@code port 0} picks a free port).
   *
   * @param live whether the process is healthy (liveness)
   * @param ready whether the operator is started and its informers are healthy (readiness)
   */
  public static ProbeServer start(
      int healthPort,
      int metricsPort,
      BooleanSupplier live,
      BooleanSupplier ready,
      PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer health = HttpServer.create(new InetSocketAddress(healthPort), 0);
    health.createContext("/healthz", ex -> answerProbe(ex, live));
    health.createContext("/readyz", ex -> answerProbe(ex, ready));
    health.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "health-http")));
    HttpServer metrics = HttpServer.create(new InetSocketAddress(metricsPort), 0);
    metrics.createContext(
        "/metrics",
        ex ->
            answer(
                ex,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8)));
    metrics.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "metrics-http")));
    health.start();
    metrics.start();
    return new ProbeServer(health, metrics);
  }

  public int healthPort() {
    return health.getAddress().getPort();
  }

  public int metricsPort() {
    return metrics.getAddress().getPort();
  }

  private static void answerProbe(HttpExchange ex, BooleanSupplier check) throws IOException {
    boolean ok;
    try {
      ok = check.getAsBoolean();
    } catch (RuntimeException e) {
      ok = false;
    }
    answer(
        ex,
        ok ? 200 : 503,
        "text/plain; charset=utf-8",
        (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.UTF_8));
  }

  private static void answer(HttpExchange ex, int code, String type, byte[] body)
      throws IOException {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(ex.getRequestMethod());
      ex.sendResponseHeaders(code, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    health.stop(0);
    metrics.stop(0);
  }
}
