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
import io.netty.channel.epoll.SegmentedDatagramPacket;
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
    DatagramSocket aSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    try (RelayClient a = clientA(aSocket);
        RelayClient b = relay.client(relay.keyB, relay.keyA, relay.v4)) {
      relay.allocateAndBind(a, b);
      int vni = a.endpoint().vni();
      int segment = 520;
      List<byte[]> segments = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        // Segment 9 names a VNI with no session: the core drops it, and only it.
        segments.add(datagram(i == 9 ? vni + 1000 : vni, i, segment));
      }
      segments.add(datagram(vni, 20, 300)); // the last segment may be shorter
      long unknownBefore = relay.events.drops(DropReason.UNKNOWN_VNI);
      long[] gsoBefore = relay.transport.gsoCounts();
      sendWithGso(a.localAddress(), aSocket, segments, segment);

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
   * segmented and makes it again), 512 KiB per such read, which is why GRO sockets are read with
   * recvmsg (a relay reading them with recvmmsg carried only half of a 200 MiB transfer in the
   * tailnet lab). The pool's used direct memory must not grow with the count: 150 reads grew it by
   * 72 MiB then.
   */
  @Test
  void superDatagramsReadOneAtATimeLeaveNoReceiveBufferBehind() throws Exception {
    DatagramSocket aSocket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    try (RelayClient a = clientA(aSocket);
        RelayClient b = relay.client(relay.keyB, relay.keyA, relay.v4)) {
      relay.allocateAndBind(a, b);
      int vni = a.endpoint().vni();
      int segment = 520;
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int i = 0; i < 8; i++) {
        all.write(datagram(vni, i, segment));
      }
      byte[] superDatagram = all.toByteArray();
      InetSocketAddress from = a.localAddress();
      aSocket.close();
      Channel ch = gsoSender(from);
      try {
        long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        int rounds = 150;
        for (int r = 0; r < rounds; r++) {
          ch.writeAndFlush(
                  new SegmentedDatagramPacket(
                      Unpooled.wrappedBuffer(superDatagram), segment, relay.v4))
              .sync();
          assertThat(receiveAll(b, 8)).as("round %d: all 8 segments forwarded", r).hasSize(8);
        }
        long grown = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
        System.out.printf(
            "pooled direct memory after %d single super-datagram reads: %+d KiB%n",
            rounds, grown / 1024);
        assertThat(grown).as("pooled direct memory growth, bytes").isLessThan(16L << 20);
      } finally {
        ch.close().sync();
      }
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

  private static Channel gsoSender(InetSocketAddress from) throws InterruptedException {
    return new Bootstrap()
        .group(group)
        .channel(EpollDatagramChannel.class)
        .handler(new ChannelInboundHandlerAdapter())
        .bind(from)
        .sync()
        .channel();
  }

  /** A WireGuard-protocol datagram of {@code size} bytes whose payload names its index. */
  private static byte[] datagram(int vni, int index, int size) {
    byte[] out = new byte[size];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(out, 0);
    Arrays.fill(out, Geneve.LENGTH, size, (byte) index);
    return out;
  }

  /**
   * Sends {@code segments} as one GSO super-datagram from {@code from}: the client's JDK socket is
   * closed and an epoll socket takes its port, so the relay sees the bound leg's address.
   */
  private static void sendWithGso(
      InetSocketAddress from, DatagramSocket socket, List<byte[]> segments, int segment)
      throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] s : segments) {
      all.write(s);
    }
    socket.close();
    Channel ch = gsoSender(from);
    try {
      ch.writeAndFlush(
              new SegmentedDatagramPacket(
                  Unpooled.wrappedBuffer(all.toByteArray()), segment, relay.v4))
          .sync();
    } finally {
      ch.close().sync();
    }
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
