package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Netty handler alone, on an {@link EmbeddedChannel}: verdicts become writes, buffers balance.
 */
class RelayDatagramHandlerTest {
  private static final InetSocketAddress RELAY = new InetSocketAddress("127.0.0.1", 7777);
  private static final InetSocketAddress SRC_A = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress SRC_B = new InetSocketAddress("127.0.0.1", 40002);

  private final DiscoPrivateKey server = DiscoPrivateKey.generate();
  private final DiscoPrivateKey a = DiscoPrivateKey.generate();
  private final DiscoPrivateKey b = DiscoPrivateKey.generate();
  private final RelayServer relay =
      new RelayServer(
          server,
          RelaySettings.defaults()
              .withAdvertisedEndpoints(List.of(RELAY))
              .withAllowedClientKeys(Set.of(a.publicKey(), b.publicKey())),
          RelayEvents.NONE,
          System::nanoTime);
  private final RelayDatagramHandler handler =
      new RelayDatagramHandler(relay, false, () -> null, () -> false);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  private DatagramPacket exchange(byte[] datagram, InetSocketAddress from) {
    channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(datagram), RELAY, from));
    return channel.readOutbound();
  }

  @Test
  void forwardsTheReceivedBufferItselfAndRepliesToHandshakes() throws Exception {
    int vni = relay.allocate(a.publicKey(), b.publicKey()).vni();
    for (var side :
        List.of(
            new ClientPackets(a, server.publicKey(), b.publicKey(), NonceSource.random()),
            new ClientPackets(b, server.publicKey(), a.publicKey(), NonceSource.random()))) {
      InetSocketAddress src = side.self().equals(a.publicKey()) ? SRC_A : SRC_B;
      DatagramPacket challenge = exchange(side.bind(vni, 3), src);
      assertThat(challenge.recipient()).isEqualTo(src);
      byte[] bytes = new byte[challenge.content().readableBytes()];
      challenge.content().readBytes(bytes);
      challenge.release();
      BindMessage c = side.openChallenge(bytes, vni);
      assertThat(exchange(side.answer(c), src)).isNull();
    }
    byte[] data = new byte[40];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(data, 0);
    ByteBuf in = Unpooled.wrappedBuffer(data);
    channel.writeInbound(new DatagramPacket(in, RELAY, SRC_A));
    DatagramPacket forwarded = channel.readOutbound();
    assertThat(forwarded.recipient()).isEqualTo(SRC_B);
    // No copy: the very buffer that came in goes out, and the handler gave up its own reference.
    assertThat(forwarded.content()).isSameAs(in);
    assertThat(in.refCnt()).isEqualTo(1);
    forwarded.release();
    assertThat(in.refCnt()).isZero();
  }

  @Test
  void droppedDatagramsAreReleasedAndNothingIsWritten() {
    ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
    channel.writeInbound(new DatagramPacket(garbage, RELAY, SRC_A));
    Object written = channel.readOutbound();
    assertThat(written).isNull();
    assertThat(garbage.refCnt()).isZero();
    assertThat(handler.exceptions()).isZero();
    assertThat(channel.isOpen()).isTrue();
  }

  @Test
  void anExceptionIsCountedAndTheChannelStaysOpen() {
    channel.pipeline().fireExceptionCaught(new IllegalStateException("socket error"));
    assertThat(handler.exceptions()).isEqualTo(1);
    assertThat(channel.isOpen()).isTrue();
  }
}
