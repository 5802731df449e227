package io.peerrelay.relay.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Blasts Geneve data datagrams from senders to receivers and counts what arrives: through a relay
 * (each sender/receiver a bound client pair) or directly (the generator's own ceiling).
 */
public final class LoadGenerator {
  /** One direction of traffic: a sending channel, where it sends, and the receiving channel. */
  public record Flow(DatagramChannel sender, InetSocketAddress target, DatagramChannel receiver) {}

  /** Packets and bytes sent and received during a run. */
  public record Result(long sent, long received, long receivedBytes, double seconds) {
    /** Received datagrams per second. */
    public double receivedPerSecond() {
      return received / seconds;
    }

    /** Received payload bits per second, in Gbit/s. */
    public double gigabitsPerSecond() {
      return receivedBytes * 8 / seconds / 1e9;
    }

    /** Fraction of sent datagrams that arrived. */
    public double delivered() {
      return sent == 0 ? 0 : (double) received / sent;
    }
  }

  private LoadGenerator() {}

  /** Opens a non-blocking loopback channel of the family of {@code like}. */
  public static DatagramChannel open(InetSocketAddress like) throws IOException {
    boolean v6 = like.getAddress().getAddress().length == 16;
    DatagramChannel ch = DatagramChannel.open();
    ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
    ch.bind(new InetSocketAddress(v6 ? "::1" : "127.0.0.1", 0));
    return ch;
  }

  /**
   * Sends {@code datagram}s (one template per flow, same index) round-robin over the flows for
   * {@code seconds} from one thread while another counts arrivals; returns the totals.
   */
  public static Result run(List<Flow> flows, List<byte[]> datagrams, double seconds)
      throws IOException, InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong received = new AtomicLong();
    AtomicLong receivedBytes = new AtomicLong();
    Selector selector = Selector.open();
    for (Flow f : flows) {
      f.receiver().configureBlocking(false);
      f.receiver().register(selector, SelectionKey.OP_READ);
    }
    Thread counter =
        new Thread(() -> count(selector, running, received, receivedBytes), "load-counter");
    counter.start();
    List<ByteBuffer> templates = new ArrayList<>();
    for (byte[] d : datagrams) {
      templates.add(ByteBuffer.allocateDirect(d.length).put(d).flip());
    }
    for (Flow f : flows) {
      f.sender().configureBlocking(true);
    }
    long sent = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    // Counting only after a short warm-up would be fairer, but the JIT settles within ~100 ms.
    while (System.nanoTime() < end) {
      for (int i = 0; i < flows.size(); i++) {
        ByteBuffer t = templates.get(i).duplicate();
        Flow f = flows.get(i);
        f.sender().send(t, f.target());
        sent++;
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Thread.sleep(200);
    running.set(false);
    counter.join();
    selector.close();
    return new Result(sent, received.get(), receivedBytes.get(), elapsed);
  }

  /** Drains every receiver until {@code running} goes false, publishing the counts as it goes. */
  private static void count(
      Selector selector, AtomicBoolean running, AtomicLong received, AtomicLong receivedBytes) {
    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
    long n = 0;
    long bytes = 0;
    try {
      while (running.get()) {
        if (selector.select(50) == 0) {
          continue;
        }
        for (SelectionKey k : selector.selectedKeys()) {
          DatagramChannel ch = (DatagramChannel) k.channel();
          while (true) {
            buf.clear();
            if (ch.receive(buf) == null) {
              break;
            }
            n++;
            bytes += buf.position();
          }
        }
        selector.selectedKeys().clear();
        received.set(n);
        receivedBytes.set(bytes);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Round-trip times of {@code rounds} echoes: A sends {@code aToB} to {@code aTarget}, B answers
   * each arrival with {@code bToA} to {@code bTarget}. Returns the sorted RTTs in nanoseconds; a
   * lost datagram costs one second and is left out.
   */
  public static long[] roundTrips(Flow a, byte[] aToB, Flow b, byte[] bToA, int rounds)
      throws IOException, InterruptedException {
    DatagramChannel sendA = a.sender();
    DatagramChannel recvB = a.receiver();
    sendA.configureBlocking(true);
    recvB.configureBlocking(true);
    sendA.socket().setSoTimeout(1000);
    AtomicBoolean running = new AtomicBoolean(true);
    Thread echo =
        new Thread(
            () -> {
              ByteBuffer in = ByteBuffer.allocateDirect(65536);
              ByteBuffer reply = ByteBuffer.allocateDirect(bToA.length).put(bToA).flip();
              try {
                while (running.get()) {
                  in.clear();
                  recvB.receive(in);
                  recvB.send(reply.duplicate(), b.target());
                }
              } catch (IOException e) {
                // Closed at the end of the run.
              }
            },
            "load-echo");
    echo.setDaemon(true);
    echo.start();
    ByteBuffer out = ByteBuffer.allocateDirect(aToB.length).put(aToB).flip();
    java.net.DatagramPacket back = new java.net.DatagramPacket(new byte[65536], 65536);
    long[] rtt = new long[rounds];
    int n = 0;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      sendA.send(out.duplicate(), a.target());
      try {
        sendA.socket().receive(back);
        rtt[n++] = System.nanoTime() - t0;
      } catch (java.net.SocketTimeoutException lost) {
        // Counted by its absence.
      }
    }
    running.set(false);
    // Wake the echo thread out of its blocking receive so the channel can change mode later.
    sendA.send(out.duplicate(), a.target());
    echo.join(2000);
    long[] got = java.util.Arrays.copyOf(rtt, n);
    java.util.Arrays.sort(got);
    return got;
  }
}
