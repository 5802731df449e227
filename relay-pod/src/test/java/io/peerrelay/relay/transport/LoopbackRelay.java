package io.peerrelay.relay.transport;

import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/** A real relay on loopback sockets (IPv4 and IPv6) plus helpers to make clients for it. */
final class LoopbackRelay implements AutoCloseable {
  final DiscoPrivateKey serverKey = DiscoPrivateKey.generate();
  final DiscoPrivateKey keyA = DiscoPrivateKey.generate();
  final DiscoPrivateKey keyB = DiscoPrivateKey.generate();
  final CountingEvents events = new CountingEvents();
  final RelayServer server;
  final RelayTransport transport;
  final InetSocketAddress v4;
  final InetSocketAddress v6;

  /** Counts drops by reason, lock-free, as a metrics implementation would. */
  static final class CountingEvents implements RelayEvents {
    final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    final AtomicLongArray forwarded = new AtomicLongArray(4);

    @Override
    public void dropped(DropReason reason) {
      drops.incrementAndGet(reason.ordinal());
    }

    @Override
    public void forwarded(boolean inV6, boolean outV6, long packets, long bytes) {
      forwarded.addAndGet((inV6 ? 2 : 0) + (outV6 ? 1 : 0), packets);
    }

    long drops(DropReason r) {
      return drops.get(r.ordinal());
    }
  }

  LoopbackRelay() {
    this(RelaySettings.defaults());
  }

  LoopbackRelay(RelaySettings base) {
    server =
        new RelayServer(
            serverKey,
            base.withAllowedClientKeys(Set.of(keyA.publicKey(), keyB.publicKey()))
                .withLimits(base.maxSessions(), 10_000, 10_000),
            events,
            System::nanoTime);
    transport = RelayTransport.start(server, TransportOptions.loopback(0, 2));
    v4 = new InetSocketAddress("127.0.0.1", transport.udpPortV4());
    v6 = new InetSocketAddress("::1", transport.udpPortV6());
    server.apply(server.settings().withAdvertisedEndpoints(List.of(v4)));
  }

  /** A client for {@code own} talking about {@code peer}, on a fresh loopback socket. */
  RelayClient client(DiscoPrivateKey own, DiscoPrivateKey peer, InetSocketAddress relay)
      throws IOException {
    String local = relay.getAddress().getAddress().length == 16 ? "::1" : "127.0.0.1";
    return new RelayClient(
        own,
        server.serverPublicKey(),
        peer.publicKey(),
        relay,
        new DatagramSocket(new InetSocketAddress(local, 0)),
        System::nanoTime);
  }

  /** Allocates through {@code first} and binds both, returning after both legs are bound. */
  void allocateAndBind(RelayClient first, RelayClient second) throws Exception {
    first.allocate(Duration.ofSeconds(3));
    second.useEndpoint(first.endpoint());
    first.bind(Duration.ofSeconds(3));
    second.bind(Duration.ofSeconds(3));
    awaitBound(first, second);
  }

  /**
   * Waits until the session listing shows both clients' current paths bound. The relay sends no
   * "bound" acknowledgement (PROTOCOL.md §7), and with SO_REUSEPORT an answer and a data packet
   * from different sockets may be handled by different event loops, so data sent right after an
   * answer can overtake it.
   */
  void awaitBound(RelayClient first, RelayClient second) {
    int vni = first.endpoint().vni();
    Set<String> want = Set.of(format(first.localAddress()), format(second.localAddress()));
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < deadline) {
      for (var s : server.sessions()) {
        if (s.vni() == vni
            && want.equals(
                new java.util.HashSet<>(List.of(s.client1().endpoint(), s.client2().endpoint())))) {
          return;
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("session " + vni + " did not show both legs bound: " + want);
  }

  private static String format(InetSocketAddress a) {
    return io.peerrelay.relay.protocol.AddrPort.format(a);
  }

  @Override
  public void close() {
    transport.close();
  }
}
