package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.client.ClientPackets;
import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 point 1: an established pair keeps its packets while the relay port is flooded with valid
 * allocations from one granted key (each naming a fresh peer key), binds and junk. The loss figures
 * are printed; the assertion is a generous bound, not a timing.
 */
class ControlFloodIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final double SECONDS = 3;

  @Test
  void establishedPairKeepsItsPacketsUnderAControlFlood() throws Exception {
    try (LoopbackRelay relay = new LoopbackRelay(RelaySettings.defaults())) {
      DiscoPrivateKey flooder = DiscoPrivateKey.generate();
      Set<DiscoPublicKey> granted = new HashSet<>(relay.server.settings().allowedClientKeys());
      granted.add(flooder.publicKey());
      List<DiscoPublicKey> peers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        peers.add(DiscoPublicKey.fromRaw(raw));
      }
      granted.addAll(peers);
      relay.server.apply(relay.server.settings().withAllowedClientKeys(granted));
      try (RelayClient a = client(relay, relay.keyA, relay.keyB);
          RelayClient b = client(relay, relay.keyB, relay.keyA)) {
        relay.allocateAndBind(a, b);
        double[] quiet = loss(a, b, relay, null);
        Flood flood = new Flood(relay, flooder, peers, a.endpoint().vni());
        double[] flooded = loss(a, b, relay, flood);
        for (var r : io.peerrelay.relay.core.DropReason.values()) {
          if (relay.events.drops(r) > 0)
            System.out.println("ControlFloodIT: drop " + r + " " + relay.events.drops(r));
        }
        System.out.printf(
            "ControlFloodIT: pair packets the relay did not forward: %.2f%% without flood, %.2f%%"
                + " under control flood (lost end to end: %.2f%%, %.2f%%)%n",
            quiet[0] * 100, flooded[0] * 100, quiet[1] * 100, flooded[1] * 100);
        assertThat(flooded[0])
            .as("share of the pair's packets the relay did not forward under the flood")
            .isLessThan(0.10);
      }
    }
  }

  /**
   * The flood, made on the fly: allocation requests from the granted flooder, half naming a fresh
   * random peer key and half one of {@code grantedPeers}, binds on the pair's VNI with a forged
   * box, and junk control packets.
   */
  private static final class Flood {
    private final ClientPackets flooder;
    private final ClientPackets forger;
    private final List<DiscoPublicKey> grantedPeers;
    private final int pairVni;
    private final List<byte[]> made = new ArrayList<>();
    private long n;

    Flood(LoopbackRelay relay, DiscoPrivateKey key, List<DiscoPublicKey> peers, int pairVni) {
      DiscoPublicKey server = relay.server.serverPublicKey();
      this.flooder = new ClientPackets(key, server, peers.get(0), NonceSource.random());
      this.forger =
          new ClientPackets(relay.keyA, server, relay.keyB.publicKey(), NonceSource.random());
      this.grantedPeers = peers;
      this.pairVni = pairVni;
      for (int i = 0; i < 12_000; i++) {
        made.add(make(i));
      }
    }

    /**
     * The next datagram: every one made up front once, then again (repeats cost the relay less).
     */
    byte[] next() {
      return made.get((int) (n++ % made.size()));
    }

    private byte[] make(long i) {
      if (i % 8 == 7) {
        byte[] bind = forger.bind(pairVni, (int) i + 1);
        bind[bind.length - 1] ^= 1;
        return bind;
      }
      if (i % 8 == 6) {
        byte[] junk = new byte[64 + (int) (i % 400)];
        RANDOM.nextBytes(junk);
        Geneve.discoControl((int) (i & 0xffffff)).encode(junk, 0);
        return junk;
      }
      DiscoPublicKey peer;
      if (i % 2 == 0) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        peer = DiscoPublicKey.fromRaw(raw);
      } else {
        peer = grantedPeers.get((int) (i % grantedPeers.size()));
      }
      return FloodRequests.allocation(flooder, peer, (int) i + 1);
    }
  }

  /** A client whose socket buffers hold a second of the test's traffic. */
  private static RelayClient client(LoopbackRelay relay, DiscoPrivateKey own, DiscoPrivateKey peer)
      throws Exception {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setReceiveBufferSize(4 << 20);
    return new RelayClient(
        own, relay.server.serverPublicKey(), peer.publicKey(), relay.v4, socket, System::nanoTime);
  }

  /**
   * Sends paced data from A to B for {@link #SECONDS} while {@code flood} (if any) is sent at up to
   * 20,000 a second from 32 source ports; returns the share of A's packets the relay did not
   * forward (its own counter) and the share B did not receive (which also counts drops in the
   * test's own sockets on a busy machine).
   */
  private static double[] loss(RelayClient a, RelayClient b, LoopbackRelay relay, Flood flood)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    long forwardedBefore = relay.events.forwarded.get(0);
    AtomicLong received = new AtomicLong();
    Thread counter =
        new Thread(
            () -> {
              while (running.get()) {
                try {
                  if (b.receive(Duration.ofMillis(50)) != null) {
                    received.incrementAndGet();
                  }
                } catch (Exception e) {
                  return;
                }
              }
            });
    counter.start();
    Thread flooder = flood == null ? null : new Thread(() -> sendFlood(flood, relay, running));
    if (flooder != null) {
      flooder.start();
      Thread.sleep(300);
    }
    long sent = 0;
    byte[] payload = new byte[200];
    long end = System.nanoTime() + (long) (SECONDS * 1e9);
    while (System.nanoTime() < end) {
      a.sendData(payload);
      sent++;
      LockSupport.parkNanos(100_000);
    }
    Thread.sleep(300);
    running.set(false);
    counter.join();
    if (flooder != null) {
      flooder.join();
    }
    // Drain anything still queued so the next measurement starts clean.
    while (b.receive(Duration.ofMillis(20)) != null) {
      received.incrementAndGet();
    }
    long forwarded = relay.events.forwarded.get(0) - forwardedBefore;
    return new double[] {1 - (double) forwarded / sent, 1 - (double) received.get() / sent};
  }

  private static void sendFlood(Flood flood, LoopbackRelay relay, AtomicBoolean running) {
    List<DatagramSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 32; i++) {
        sockets.add(new DatagramSocket(new InetSocketAddress("127.0.0.1", 0)));
      }
      long n = 0;
      while (running.get()) {
        byte[] d = flood.next();
        sockets.get((int) (n % sockets.size())).send(new DatagramPacket(d, d.length, relay.v4));
        n++;
        if (n % 20 == 0) {
          // About 20,000 datagrams a second at most: a flood the relay must shrug off, not a
          // bandwidth test of a shared two-core machine.
          LockSupport.parkNanos(1_000_000);
        }
      }
      System.out.printf("ControlFloodIT: flood sent %d datagrams%n", n);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      sockets.forEach(DatagramSocket::close);
    }
  }
}
