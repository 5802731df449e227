package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.core.AllocationResult;
import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Seeded random malformed input through the real datagram handler: truncated, oversized and
 * bit-flipped copies of valid packets and random bytes. Count: {@code -Dpeerrelay.fuzz.count}
 * (default 1,000,000), seed: {@code -Dpeerrelay.fuzz.seed}.
 */
class MalformedInputIT {
  private static final InetSocketAddress RELAY = new InetSocketAddress("127.0.0.1", 7777);
  private static final InetSocketAddress SRC_A = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress SRC_B = new InetSocketAddress("127.0.0.1", 40002);

  @Test
  void theHandlerNeverThrowsNeverForwardsFromUnboundSourcesAndNeverAllocatesForStrangers()
      throws Exception {
    long count = Long.getLong("peerrelay.fuzz.count", 1_000_000);
    long seed = Long.getLong("peerrelay.fuzz.seed", 20261124L);
    Random random = new Random(seed);
    DiscoPrivateKey server = DiscoPrivateKey.generate();
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    DiscoPrivateKey b = DiscoPrivateKey.generate();
    AtomicInteger allocationsOk = new AtomicInteger();
    RelayServer relay =
        new RelayServer(
            server,
            RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(RELAY))
                .withAllowedClientKeys(Set.of(a.publicKey(), b.publicKey()))
                .withLimits(1000, 1e9, 1_000_000),
            new RelayEvents() {
              @Override
              public void allocation(AllocationResult result) {
                if (result == AllocationResult.OK) {
                  allocationsOk.incrementAndGet();
                }
              }
            },
            System::nanoTime);
    RelayDatagramHandler handler = new RelayDatagramHandler(relay, false, () -> null, () -> true);
    EmbeddedChannel channel = new EmbeddedChannel(handler);

    ClientPackets pa =
        new ClientPackets(a, server.publicKey(), b.publicKey(), NonceSource.random());
    ClientPackets pb =
        new ClientPackets(b, server.publicKey(), a.publicKey(), NonceSource.random());
    byte[] allocate = pa.allocateRequest(1);
    int vni = pa.openAllocateResponse(exchange(channel, allocate, SRC_A).get(0), 1).vni();
    for (var side : List.of(new Object[] {pa, SRC_A}, new Object[] {pb, SRC_B})) {
      ClientPackets p = (ClientPackets) side[0];
      InetSocketAddress src = (InetSocketAddress) side[1];
      BindMessage challenge = p.openChallenge(exchange(channel, p.bind(vni, 5), src).get(0), vni);
      assertThat(exchange(channel, p.answer(challenge), src)).isEmpty();
    }
    byte[] data = new byte[100];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(data, 0);
    assertThat(exchange(channel, data, SRC_A)).hasSize(1);

    List<byte[]> corpus =
        List.of(
            allocate,
            pb.allocateRequest(2),
            pa.bind(vni, 9),
            pb.bind(vni, 10),
            data,
            pa.ping(vni, new byte[12]),
            pa.allocateRequest(3, 0));
    long forwardedFromBound = 0;
    for (long i = 0; i < count; i++) {
      byte[] datagram = mutate(random, corpus.get(random.nextInt(corpus.size())));
      InetSocketAddress source = source(random);
      channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), RELAY, source));
      DatagramPacket out;
      while ((out = channel.readOutbound()) != null) {
        try {
          if (!out.recipient().equals(source)) {
            // Anything not sent back to its source is a forward: only bound legs may cause one.
            assertThat(source).as("forward from an unbound source").isIn(SRC_A, SRC_B);
            forwardedFromBound++;
          }
        } finally {
          out.release();
        }
      }
    }
    assertThat(handler.exceptions()).as("exceptions in the handler").isZero();
    assertThat(channel.isOpen()).isTrue();
    assertThat(allocationsOk.get()).as("sessions created").isEqualTo(1);
    assertThat(relay.sessionCount()).isEqualTo(1);
    assertThat(forwardedFromBound).isPositive();
    channel.finishAndReleaseAll();
  }

  private static List<byte[]> exchange(EmbeddedChannel ch, byte[] d, InetSocketAddress from) {
    ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(d), RELAY, from));
    List<byte[]> replies = new ArrayList<>();
    DatagramPacket out;
    while ((out = ch.readOutbound()) != null) {
      byte[] bytes = new byte[out.content().readableBytes()];
      out.content().getBytes(out.content().readerIndex(), bytes);
      replies.add(bytes);
      out.release();
    }
    return replies;
  }

  private static InetSocketAddress source(Random random) throws Exception {
    int pick = random.nextInt(10);
    if (pick == 0) {
      return SRC_A;
    }
    if (pick == 1) {
      return SRC_B;
    }
    if (pick == 2) {
      byte[] v6 = new byte[16];
      random.nextBytes(v6);
      v6[0] = (byte) 0xfd;
      return new InetSocketAddress(InetAddress.getByAddress(v6), random.nextInt(65536));
    }
    // Mostly near-misses of the bound sources: same IP, other ports, or other loopback IPs.
    byte[] v4 = {127, 0, 0, (byte) (1 + random.nextInt(3))};
    return new InetSocketAddress(InetAddress.getByAddress(v4), 40000 + random.nextInt(8));
  }

  private static byte[] mutate(Random random, byte[] valid) {
    switch (random.nextInt(6)) {
      case 0 -> {
        return Arrays.copyOf(valid, random.nextInt(valid.length + 1));
      }
      case 1 -> {
        byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(2000));
        for (int i = valid.length; i < longer.length; i++) {
          longer[i] = (byte) random.nextInt();
        }
        return longer;
      }
      case 2, 3 -> {
        byte[] flipped = valid.clone();
        int flips = 1 + random.nextInt(8);
        for (int f = 0; f < flips; f++) {
          int bit = random.nextInt(flipped.length * 8);
          flipped[bit >>> 3] ^= (byte) (1 << (bit & 7));
        }
        return flipped;
      }
      case 4 -> {
        byte[] noise = new byte[random.nextInt(300)];
        random.nextBytes(noise);
        return noise;
      }
      default -> {
        // Valid header bits with random VNIs and control flags: exercises the table lookups.
        byte[] copy = valid.clone();
        if (copy.length >= 8) {
          copy[1] ^= (byte) 0x80;
          copy[4] = (byte) random.nextInt();
          copy[5] = (byte) random.nextInt();
          copy[6] = (byte) random.nextInt(4);
        }
        return copy;
      }
    }
  }
}
