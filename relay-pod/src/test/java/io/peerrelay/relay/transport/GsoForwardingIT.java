package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.protocol.Geneve;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that sends with UDP GSO (Netty's SegmentedDatagramPacket on an epoll socket, as
 * tailscaled and wireguard-go do on Linux) through the relay on real loopback sockets: the relay
 * reads the super-datagram with GRO, checks each segment alone, forwards exactly the good ones and
 * writes consecutive ones to the same peer as GSO sends of its own.
 */
class GsoForwardingIT {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static LoopbackRelay relay;
  private static EventLoopGroup group;

  @BeforeAll
  static void start() {
    assumeTrue(Epoll.isAvailable() && EpollDatagramChannel.isSegmentedDatagramPacketSupported());
    relay = new LoopbackRelay();
    group = new EpollEventLoopGroup(1);
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  @Test
  void relayReadsWithGroAndSendsWithGso() {
    assertThat(relay.transport.groTook()).as("UDP_GRO on the relay socket").isTrue();
    assertThat(relay.transport.gsoOn()).isTrue();
  }

  @Test
  void everyGoodSegmentIsForwardedOnceAndABadOneInTheMiddleAlone() throws Exception {
    try (Session s = Session.open()) {
      RelayClient b = s.b;
      int vni = s.vni();
      int segment = 520;
      List<byte[]> segments = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // Segment 9 names a VNI with no session: the core drops it, and only it.
        segments.add(datagram(i == 9 ? vni + 1000 : vni, i, segment));
      }
      segments.add(datagram(vni, 20, 300)); // the last segment may be shorter
      long unknownBefore = relay.events.drops(DropReason.UNKNOWN_VNI);
      long[] gsoBefore = relay.transport.gsoCounts();
      s.sendWithGso(segments, segment);

      List<byte[]> expected = new ArrayList<>(segments);
      expected.remove(9);
      List<byte[]> got = receiveAll(b, expected.size());
      assertThat(got).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(got.get(i))
            .as("datagram %d, in order and byte for byte", i)
            .isEqualTo(expected.get(i));
      }
      assertThat(b.receive(Duration.ofMillis(200))).as("nothing more").isNull();
      assertThat(relay.events.drops(DropReason.UNKNOWN_VNI) - unknownBefore).isEqualTo(1);
      long[] gso = relay.transport.gsoCounts();
      // The dropped segment is in no batch: the 20 good ones, all to b, leave as one GSO send (the
      // gap makes it a copy, not a slice of the receive buffer).
      assertThat(gso[0] - gsoBefore[0]).isEqualTo(1);
      assertThat(gso[1] - gsoBefore[1]).isEqualTo(20);
    }
  }

  /**
   * Super-datagrams read one at a time (each recvmmsg finds one) leave no receive buffer behind:
   * Netty 4.1.133's recvmmsg path leaks a retained slice of the whole receive buffer for a read of
   * exactly one GRO super-datagram (its single-packet fast path makes the packet, sees it is
   * segmented and makes it again), 512 KiB per such read; GroReceiveAllocator releases that slice.
   * Without it 150 reads grew the pool's used direct memory by 72 MiB (and a relay reading so
   * carried only half of a 200 MiB transfer in the tailnet lab). Each read here, once the first
   * super-datagram has switched the socket to recvmmsg, is one repair.
   */
  @Test
  void superDatagramsReadOneAtATimeLeaveNoReceiveBufferBehind() throws Exception {
    try (Session s = Session.open()) {
      RelayClient b = s.b;
      int vni = s.vni();
      int segment = 520;
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < 8; i++) {
        all.write(datagram(vni, i, segment));
      }
      byte[] superDatagram = all.toByteArray();
      Channel ch = s.gsoSender();
      assertThat(relay.transport.groAdaptive()).as("GRO read adaptive (the default)").isTrue();
      long repairsBefore = relay.transport.groRepairs();
      long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      int rounds = 150;
      for (int r = 0; r < rounds; r++) {
        ch.writeAndFlush(
                new SegmentedDatagramPacket(
                    Unpooled.wrappedBuffer(superDatagram), segment, relay.v4))
            .sync();
        assertThat(receiveAll(b, 8)).as("round %d: all 8 segments forwarded", r).hasSize(8);
      }
      assertNothingLeftBehind(before, rounds + " single super-datagram reads");
      assertThat(relay.transport.groRepairs() - repairsBefore)
          .as("dropped slices released: one per single super-datagram read")
          .isBetween((long) rounds - 1, (long) rounds);
    }
  }

  /**
   * Bursts of super-datagrams, so that one recvmmsg often returns several: nothing is released on
   * behalf of Netty then (a wrong release would free a receive buffer still in use, seen here as
   * reference-count exceptions or changed bytes), every segment arrives once, in order, byte for
   * byte, and the pool does not grow.
   */
  @Test
  void burstsOfSuperDatagramsReadTogetherArriveIntactAndReleaseNothingTwice() throws Exception {
    try (Session s = Session.open()) {
      RelayClient b = s.b;
      int vni = s.vni();
      int segment = 520;
      int perSuper = 6;
      Channel ch = s.gsoSender();
      long repairsBefore = relay.transport.groRepairs();
      long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
      int bursts = 40;
      int perBurst = 12;
      for (int r = 0; r < bursts; r++) {
        List<byte[]> expected = new ArrayList<>();
        for (int d = 0; d < perBurst; d++) {
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          for (int i = 0; i < perSuper; i++) {
            // The last segment of every other super-datagram is shorter.
            int size = i == perSuper - 1 && d % 2 == 1 ? 200 : segment;
            byte[] dg = datagram(vni, (r * perBurst + d) * perSuper + i, size);
            expected.add(dg);
            all.write(dg);
          }
          ch.write(
              new SegmentedDatagramPacket(
                  Unpooled.wrappedBuffer(all.toByteArray()), segment, relay.v4));
        }
        ch.flush();
        List<byte[]> got = receiveAll(b, expected.size());
        assertThat(got).as("burst %d: every segment", r).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          assertThat(got.get(i))
              .as("burst %d, datagram %d, in order and byte for byte", r, i)
              .isEqualTo(expected.get(i));
        }
      }
      long repairs = relay.transport.groRepairs() - repairsBefore;
      assertNothingLeftBehind(
          before,
          bursts + " bursts of " + perBurst + " super-datagrams, " + repairs + " repaired reads");
      assertThat(repairs)
          .as("repairs, at most one per super-datagram")
          .isLessThan(bursts * perBurst);
    }
  }

  /**
   * The read mode follows the traffic: super-datagrams switch the socket to recvmmsg, and {@link
   * GroReadMode#IDLE_READS} reads of plain datagrams switch it back to recvmsg, which reads them
   * without the destination address Netty's recvmmsg decodes for each.
   */
  @Test
  void readModeFollowsTheTraffic() throws Exception {
    try (Session s = Session.open()) {
      RelayClient b = s.b;
      int vni = s.vni();
      List<byte[]> segments = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        segments.add(datagram(vni, i, 520));
      }
      InetSocketAddress from = s.a.localAddress();
      s.sendWithGso(segments, 520);
      s.closeGsoSender();
      assertThat(receiveAll(b, 4)).hasSize(4);
      assertThat(relay.transport.groBatchedSockets())
          .as("recvmmsg after a super-datagram")
          .isEqualTo(1);
      long switches = relay.transport.groModeSwitches();
      DatagramSocket plain = new DatagramSocket(from);
      try {
        byte[] dg = datagram(vni, 7, 300);
        for (int i = 0; i < GroReadMode.IDLE_READS + 50; i++) {
          plain.send(new DatagramPacket(dg, dg.length, relay.v4));
          assertThat(b.receive(WAIT)).as("plain datagram %d forwarded", i).isNotNull();
        }
      } finally {
        plain.close();
      }
      assertThat(relay.transport.groBatchedSockets()).as("recvmsg after plain reads").isZero();
      assertThat(relay.transport.groModeSwitches()).isEqualTo(switches + 1);
    }
  }

  /**
   * The pool's used direct memory has not grown by a receive buffer per read since {@code before},
   * and no handler saw an exception (a buffer released twice throws).
   */
  private static void assertNothingLeftBehind(long before, String after) throws Exception {
    long grown = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
    System.out.printf("pooled direct memory after %s: %+d KiB%n", after, grown / 1024);
    assertThat(grown).as("pooled direct memory growth, bytes").isLessThan(16L << 20);
    assertThat(relay.transport.handlerExceptions()).as("handler exceptions").isZero();
  }

  /**
   * A bound session between a (on a socket of the test's) and b. A GSO sender takes over a's port:
   * a's JDK socket is closed and an epoll socket binds its address, so the relay sees the bound
   * leg's address.
   */
  private static final class Session implements AutoCloseable {
    final RelayClient a;
    final RelayClient b;
    private final DatagramSocket aSocket;
    private Channel gso;

    private Session(DatagramSocket aSocket, RelayClient a, RelayClient b) {
      this.aSocket = aSocket;
      this.a = a;
      this.b = b;
    }

    static Session open() throws Exception {
      DatagramSocket aSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
      Session s =
          new Session(aSocket, clientA(aSocket), relay.client(relay.keyB, relay.keyA, relay.v4));
      try {
        relay.allocateAndBind(s.a, s.b);
      } catch (Exception | AssertionError e) {
        s.close();
        throw e;
      }
      return s;
    }

    int vni() {
      return a.endpoint().vni();
    }

    /** The epoll socket on a's address (made at the first call). */
    Channel gsoSender() throws InterruptedException {
      if (gso == null) {
        InetSocketAddress from = a.localAddress();
        aSocket.close();
        gso =
            new Bootstrap()
                .group(group)
                .channel(EpollDatagramChannel.class)
                .handler(new ChannelInboundHandlerAdapter())
                .bind(from)
                .sync()
                .channel();
      }
      return gso;
    }

    /** Sends {@code segments} as one GSO super-datagram from a's address. */
    void sendWithGso(List<byte[]> segments, int segment) throws Exception {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (byte[] seg : segments) {
        all.write(seg);
      }
      gsoSender()
          .writeAndFlush(
              new SegmentedDatagramPacket(
                  Unpooled.wrappedBuffer(all.toByteArray()), segment, relay.v4))
          .sync();
    }

    /** Frees a's address for another socket. */
    void closeGsoSender() {
      if (gso != null) {
        gso.close().syncUninterruptibly();
        gso = null;
      }
    }

    @Override
    public void close() {
      closeGsoSender();
      a.close();
      b.close();
    }
  }

  /** Client a on a socket of the test's, which a GSO sender then takes over. */
  private static RelayClient clientA(DatagramSocket socket) {
    return new RelayClient(
        relay.keyA,
        relay.server.serverPublicKey(),
        relay.keyB.publicKey(),
        relay.v4,
        socket,
        System::nanoTime);
  }

  /** A WireGuard-protocol datagram of {@code size} bytes whose payload names its index. */
  private static byte[] datagram(int vni, int index, int size) {
    byte[] out = new byte[size];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(out, 0);
    Arrays.fill(out, Geneve.LENGTH, size, (byte) index);
    return out;
  }

  private static List<byte[]> receiveAll(RelayClient b, int want) throws Exception {
    List<byte[]> got = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (got.size() < want && System.nanoTime() < deadline) {
      DatagramPacket p = b.receive(Duration.ofMillis(100));
      if (p != null) {
        got.add(Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength()));
      }
    }
    return got;
  }
}
