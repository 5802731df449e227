package io.peerrelay.relay.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.config.ConfigStatus;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A burst of concurrent readers of a large {@code /sessions} listing must not leave the heap bigger
 * than it found it: each answer is about 1 MB of JSON, built, sent and dropped.
 */
class SidePortMemoryIT {
  private static final int SESSIONS = 5000;

  /** The side port's connection cap: every slot holds a reader of the whole listing. */
  private static final int READERS = SidePortServer.MAX_CONNECTIONS;

  private static final int ROUNDS = 4;
  private static final long MIB = 1024 * 1024;

  @Test
  void heapInUseReturnsNearItsLevelAfterBurstsOfReaders() throws Exception {
    long started = System.nanoTime();
    RelayServer server = relayWithSessions();
    System.out.printf(
        "side port memory: %d sessions made in %d ms%n",
        SESSIONS, (System.nanoTime() - started) / 1_000_000);
    assertThat(server.sessionCount()).isEqualTo(SESSIONS);
    RelayView view = new CoreView(server);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ExecutorService pool = Executors.newFixedThreadPool(READERS);
    try (SidePortServer side = SidePortServer.start(0, new SidePortRoutes(view))) {
      String path = "/sessions?limit=" + SESSIONS;
      readAll(pool, side.port(), path, 1); // warm up classes, buffers and the JIT before measuring
      long before = heapAfterGc(memory);
      long peak = 0;
      long bodyBytes = 0;
      for (int round = 0; round < ROUNDS; round++) {
        bodyBytes = readAll(pool, side.port(), path, READERS);
        peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      }
      long after = heapAfterGc(memory);
      System.out.printf(
          "side port memory: %d sessions, %d readers x %d rounds, %d KiB a page;"
              + " heap in use before %d MiB, peak seen %d MiB, after %d MiB (%+d KiB)%n",
          SESSIONS,
          READERS,
          ROUNDS,
          bodyBytes / 1024,
          before / MIB,
          peak / MIB,
          after / MIB,
          (after - before) / 1024);
      // 64 answers of ~1 MB are in flight at the peak; a leak of one per reader per round would
      // leave >= 256 MB. 32 MiB of slack covers GC noise without being a timing test.
      assertThat(after - before).isLessThan(32 * MIB);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Every reader GETs the listing once on its own connection (closed after the answer, so no pooled
   * connection races the side port's idle timeout), all at once; returns one body's size.
   */
  private static long readAll(ExecutorService pool, int port, String path, int readers)
      throws Exception {
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      answers.add(pool.submit(() -> get(port, path)));
    }
    long size = 0;
    for (Future<Integer> a : answers) {
      size = a.get();
    }
    return size;
  }

  private static int get(int port, String path) throws Exception {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(60_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 200 ").doesNotContain("\"next\"");
      return answer.length();
    }
  }

  private static long heapAfterGc(MemoryMXBean memory) throws InterruptedException {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  private static RelayServer relayWithSessions() throws Exception {
    RelaySettings settings =
        RelaySettings.defaults()
            .withAdvertisedEndpoints(List.of(new InetSocketAddress("192.0.2.1", 40000)))
            .withMaxSessionsPerClientKey(SESSIONS);
    RelayServer server =
        new RelayServer(
            DiscoPrivateKey.generate(), settings, new RelayMetrics("test"), System::nanoTime);
    DiscoPublicKey hub = DiscoPrivateKey.generate().publicKey();
    for (int i = 0; i < SESSIONS; i++) {
      server.allocate(hub, DiscoPrivateKey.generate().publicKey());
    }
    return server;
  }

  /** The side port's view of a real core, as the serve command gives it. */
  private record CoreView(RelayServer server) implements RelayView {
    @Override
    public String notAliveReason() {
      return null;
    }

    @Override
    public String notReadyReason() {
      return null;
    }

    @Override
    public String metricsText() {
      return "";
    }

    @Override
    public int configuredUdpPort() {
      return 40000;
    }

    @Override
    public List<SessionInfo> sessions(int afterVni, int limit) {
      return server.sessions(afterVni, limit);
    }

    @Override
    public ConfigStatus configStatus() {
      return new ConfigStatus(new ConfigStatus.Applied("", Instant.EPOCH), null);
    }

    @Override
    public String serverDiscoKey() {
      return server.serverPublicKey().toString();
    }
  }
}
