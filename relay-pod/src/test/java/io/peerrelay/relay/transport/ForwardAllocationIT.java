package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.protocol.Geneve;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Bytes the relay's event-loop threads allocate per forwarded datagram, the whole path from the
 * read to the write (Netty included), measured with the JVM's per-thread allocation counter over
 * many datagrams. A bound, not a timing: a per-packet object on the path shows up as its size.
 */
class ForwardAllocationIT {
  /**
   * What is left per datagram comes from Netty's epoll read, which makes a {@code DatagramPacket}
   * and the sender's {@code InetSocketAddress} for every datagram it reads
   * (relay-pod/bench/side-by-side.md).
   */
  static final long BOUND_BYTES_PER_PACKET = 200;

  @Test
  void forwardingAllocatesAtMostTheBoundPerDatagram() throws Exception {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (LoopbackRelay relay = new LoopbackRelay();
        RelayClient a = relay.client(relay.keyA, relay.keyB, relay.v4);
        RelayClient b = relay.client(relay.keyB, relay.keyA, relay.v4)) {
      relay.allocateAndBind(a, b);
      byte[] datagram = new byte[520];
      Geneve.data(Geneve.PROTOCOL_WIREGUARD, a.endpoint().vni()).encode(datagram, 0);
      AtomicBoolean run = new AtomicBoolean(true);
      Thread drain = new Thread(() -> drain(b, run), "drain-b");
      drain.start();
      List<Thread> loops = relay.transport.eventLoopThreads();
      send(a, datagram, 30_000, relay); // warm-up: JIT, pools, caches
      long bytes0 = allocated(mx, loops);
      long fwd0 = forwarded(relay);
      send(a, datagram, 100_000, relay);
      Thread.sleep(300);
      long bytes = allocated(mx, loops) - bytes0;
      long fwd = forwarded(relay) - fwd0;
      run.set(false);
      drain.join();
      assertThat(fwd).as("datagrams forwarded").isGreaterThan(20_000);
      // Plain datagrams keep a GRO socket on recvmsg; recvmmsg (after a super-datagram) would
      // decode a destination address for each, about 100 bytes more (relay-pod/README.md).
      assertThat(relay.transport.groBatchedSockets()).as("GRO sockets on recvmmsg").isZero();
      double perPacket = (double) bytes / fwd;
      System.out.printf(
          "relay event loops allocated %.1f bytes per forwarded datagram%n", perPacket);
      assertThat(perPacket)
          .as("bytes allocated per forwarded datagram")
          .isLessThan(BOUND_BYTES_PER_PACKET);
    }
  }

  private static void send(RelayClient a, byte[] datagram, int n, LoopbackRelay relay)
      throws Exception {
    for (int i = 0; i < n; i++) {
      a.send(datagram, relay.v4);
      if ((i & 63) == 63) {
        Thread.onSpinWait(); // keep the relay's receive queue from overflowing much
      }
    }
  }

  private static void drain(RelayClient b, AtomicBoolean run) {
    try {
      while (run.get()) {
        b.receive(Duration.ofMillis(50));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long allocated(com.sun.management.ThreadMXBean mx, List<Thread> loops) {
    long sum = 0;
    for (Thread t : loops) {
      sum += mx.getThreadAllocatedBytes(t.getId());
    }
    return sum;
  }

  private static long forwarded(LoopbackRelay relay) {
    long sum = 0;
    for (int i = 0; i < 4; i++) {
      sum += relay.events.forwarded.get(i);
    }
    return sum;
  }
}
