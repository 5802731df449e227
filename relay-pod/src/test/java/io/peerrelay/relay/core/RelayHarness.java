package io.peerrelay.relay.core;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/** A relay core driven with byte arrays, as the transport would drive it, for unit tests. */
final class RelayHarness {
  static final InetSocketAddress RELAY_V4 = new InetSocketAddress("127.0.0.1", 7777);

  final FakeClock clock = new FakeClock();
  final RecordingEvents events = new RecordingEvents();
  final DiscoPrivateKey serverKey = DiscoPrivateKey.generate();
  final DiscoPrivateKey keyA = DiscoPrivateKey.generate();
  final DiscoPrivateKey keyB = DiscoPrivateKey.generate();
  final RelayServer relay;
  final Verdict verdict = new Verdict();

  RelayHarness() {
    this(
        RelaySettings.defaults()
            .withAdvertisedEndpoints(List.of(RELAY_V4))
            .withLimits(100_000, 1_000_000, 1_000_000)
            .withMaxSessionsPerClientKey(100_000));
  }

  RelayHarness(RelaySettings base) {
    relay =
        new RelayServer(
            serverKey,
            base.withAllowedClientKeys(Set.of(keyA.publicKey(), keyB.publicKey())),
            events,
            clock);
  }

  ClientPackets client(DiscoPrivateKey own, DiscoPrivateKey peer) {
    return new ClientPackets(own, relay.serverPublicKey(), peer.publicKey(), NonceSource.random());
  }

  ClientPackets a() {
    return client(keyA, keyB);
  }

  ClientPackets b() {
    return client(keyB, keyA);
  }

  Verdict send(byte[] datagram, InetSocketAddress from) {
    relay.handle(
        ByteBuffer.wrap(datagram), from, from.getAddress().getAddress().length == 16, verdict);
    return verdict;
  }

  /** Allocates for A and B directly (as Tailscale's AllocateEndpoint). */
  UdpRelayEndpoint allocate() throws AllocationException {
    return relay.allocate(keyA.publicKey(), keyB.publicKey());
  }

  /** Allocates for A and B and binds A from {@code srcA}, B from {@code srcB}; returns the VNI. */
  int openSession(InetSocketAddress srcA, InetSocketAddress srcB) throws AllocationException {
    int vni = allocate().vni();
    handshake(a(), vni, 1, srcA);
    handshake(b(), vni, 2, srcB);
    return vni;
  }

  /** Bind, read the challenge, answer; fails unless the answer is consumed silently. */
  void handshake(ClientPackets c, int vni, int gen, InetSocketAddress from) {
    Verdict v = send(c.bind(vni, gen), from);
    if (v.kind() != Verdict.Kind.REPLY) {
      throw new AssertionError("no challenge: " + v.kind() + " " + v.reason());
    }
    BindMessage chal = c.openChallenge(v.reply(), vni);
    if (chal == null || chal.generation() != gen) {
      throw new AssertionError("bad challenge");
    }
    Verdict answered = send(c.answer(chal), from);
    if (answered.kind() != Verdict.Kind.DROP || answered.reason() != null) {
      throw new AssertionError("answer refused: " + answered.reason());
    }
  }

  static InetSocketAddress addr(String ip, int port) {
    return new InetSocketAddress(ip, port);
  }

  static DiscoPublicKey pub(DiscoPrivateKey k) {
    return k.publicKey();
  }
}
