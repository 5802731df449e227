package io.peerrelay.relay.client;

import io.peerrelay.relay.protocol.AddrPort;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One client of a relay on one UDP socket: allocate on VNI 0, bind (PROTOCOL.md §7: bind to every
 * advertised address, keep the first challenge), then exchange disco pings with the peer through
 * the relay. Not thread-safe.
 */
public final class RelayClient implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ClientPackets packets;
  private final InetSocketAddress relay;
  private final DatagramSocket socket;
  private final LongSupplier clock;
  private final byte[] buffer = new byte[65536];
  private final Map<TxId, Long> pingsInFlight = new HashMap<>();
  private int generation = 1 + RANDOM.nextInt(1 << 30);
  private UdpRelayEndpoint endpoint;
  private InetSocketAddress path;

  private record TxId(byte[] id) {
    @Override
    public boolean equals(Object o) {
      return o instanceof TxId t && Arrays.equals(id, t.id);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(id);
    }
  }

  /** A reply from the peer: which ping, and its round-trip time. */
  public record PongReceived(DiscoPublicKey from, InetSocketAddress via, int vni, long rttNanos) {}

  /** Opens a client socket on the wildcard address of the relay's family. */
  public static RelayClient open(
      DiscoPrivateKey own, DiscoPublicKey server, DiscoPublicKey peer, InetSocketAddress relay)
      throws IOException {
    return new RelayClient(
        own, server, peer, relay, new DatagramSocket(new InetSocketAddress(0)), System::nanoTime);
  }

  /** A client on a given socket (tests pick loopback sockets). */
  public RelayClient(
      DiscoPrivateKey own,
      DiscoPublicKey server,
      DiscoPublicKey peer,
      InetSocketAddress relay,
      DatagramSocket socket,
      LongSupplier clock) {
    this.packets = new ClientPackets(own, server, peer, NonceSource.random());
    this.relay = relay;
    this.socket = socket;
    this.clock = clock;
  }

  /** The local socket address. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** The allocation, once {@link #allocate} succeeded. */
  public UdpRelayEndpoint endpoint() {
    return endpoint;
  }

  /** The relay address whose challenge won, once bound. */
  public InetSocketAddress path() {
    return path;
  }

  /** The builder of this client's datagrams. */
  public ClientPackets packets() {
    return packets;
  }

  /**
   * Asks the relay for the pair's session (PROTOCOL.md §5), asking again every second until {@code
   * timeout}: requests and answers are plain UDP and may be lost. Each try is a new request with a
   * later issued-at stamp: the relay takes a stamp once, so resending the same bytes would be
   * refused as a replay after a first try that reached it but got no answer (an answer lost on the
   * way, or a relay that had no advertised endpoint yet).
   */
  public UdpRelayEndpoint allocate(Duration timeout) throws IOException, TimeoutException {
    int gen = nextGeneration();
    long deadline = clock.getAsLong() + timeout.toNanos();
    while (true) {
      send(packets.allocateRequest(gen), relay);
      long resendAt = Math.min(deadline, clock.getAsLong() + 1_000_000_000L);
      DatagramPacket p;
      while ((p = receiveUntil(resendAt)) != null) {
        UdpRelayEndpoint ep = packets.openAllocateResponse(copy(p), gen);
        if (ep != null) {
          endpoint = ep;
          return ep;
        }
      }
      if (clock.getAsLong() >= deadline) {
        throw new TimeoutException(
            "no allocation answer from "
                + AddrPort.format(relay)
                + " within "
                + timeout.toMillis()
                + " ms");
      }
    }
  }

  /** Uses an allocation obtained elsewhere (e.g. from the peer). */
  public void useEndpoint(UdpRelayEndpoint ep) {
    this.endpoint = ep;
  }

  /**
   * Uses a session on {@code vni} that someone else allocated (e.g. tailscaled over DERP, or an
   * interop harness), so no VNI-0 request is sent: a relay that does not implement our allocation
   * extension (Tailscale's own) would drop it. Binds go to the relay address this client was opened
   * with; the lifetimes are Tailscale's defaults since the allocation answer is not seen here.
   */
  public UdpRelayEndpoint useAllocatedElsewhere(DiscoPublicKey server, int vni) {
    if (vni <= 0 || vni > Geneve.MAX_VNI) {
      throw new IllegalArgumentException("--vni must be 1-" + Geneve.MAX_VNI + ", got " + vni);
    }
    DiscoPublicKey[] pair = packets.sortedPair();
    endpoint =
        new UdpRelayEndpoint(
            server,
            pair[0],
            pair[1],
            0,
            vni,
            Duration.ofSeconds(30),
            Duration.ofMinutes(5),
            List.of(relay));
    return endpoint;
  }

  /**
   * Binds this socket's leg: a Bind to every advertised address, the first challenge answered from
   * its source, resent every second until {@code timeout}. Returns the chosen relay address.
   */
  public InetSocketAddress bind(Duration timeout) throws IOException, TimeoutException {
    if (endpoint == null) {
      throw new IllegalStateException("allocate first");
    }
    int vni = endpoint.vni();
    int gen = nextGeneration();
    byte[] bind = packets.bind(vni, gen);
    long deadline = clock.getAsLong() + timeout.toNanos();
    while (true) {
      IOException lastFailure = null;
      int sent = 0;
      for (InetSocketAddress a : endpoint.addrPorts()) {
        try {
          send(bind, a);
          sent++;
        } catch (IOException e) {
          // An address of a family or network this socket cannot reach; the others may work.
          lastFailure = e;
        }
      }
      if (sent == 0 && lastFailure != null) {
        throw lastFailure;
      }
      long resendAt = Math.min(deadline, clock.getAsLong() + 1_000_000_000L);
      DatagramPacket p;
      while ((p = receiveUntil(resendAt)) != null) {
        BindMessage challenge = packets.openChallenge(copy(p), vni);
        if (challenge != null && challenge.generation() == gen) {
          InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
          send(packets.answer(challenge), from);
          path = from;
          return from;
        }
      }
      if (clock.getAsLong() >= deadline) {
        throw new TimeoutException(
            "no bind challenge from "
                + endpoint.addrPorts().stream().map(AddrPort::format).toList()
                + " within "
                + timeout.toMillis()
                + " ms");
      }
    }
  }

  /** Sends a disco Ping to the peer through the relay; remembers it for the RTT. */
  public void sendPing() throws IOException {
    byte[] tx = new byte[12];
    RANDOM.nextBytes(tx);
    pingsInFlight.put(new TxId(tx), clock.getAsLong());
    send(packets.ping(endpoint.vni(), tx), path);
  }

  /** Sends a WireGuard-protocol data datagram with {@code payload} through the relay. */
  public byte[] sendData(byte[] payload) throws IOException {
    byte[] out = new byte[Geneve.LENGTH + payload.length];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, endpoint.vni()).encode(out, 0);
    System.arraycopy(payload, 0, out, Geneve.LENGTH, payload.length);
    send(out, path);
    return out;
  }

  /** Sends raw bytes to {@code to} (tests). */
  public void send(byte[] datagram, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(datagram, datagram.length, to));
  }

  /** Receives one raw datagram, or null after {@code timeout}. */
  public DatagramPacket receive(Duration timeout) throws IOException {
    return receiveUntil(clock.getAsLong() + timeout.toNanos());
  }

  /**
   * Serves the peer until {@code deadline}: answers its pings with pongs (Src = the relay address
   * the ping came from, as Tailscale does) and returns the first pong to one of our pings.
   */
  public PongReceived awaitPong(long deadlineNanos) throws IOException {
    DatagramPacket p;
    while ((p = receiveUntil(deadlineNanos)) != null) {
      byte[] d = copy(p);
      InetSocketAddress from = (InetSocketAddress) p.getSocketAddress();
      DiscoMessage m = packets.openFromPeer(d, endpoint.vni());
      if (m instanceof Ping ping) {
        send(packets.pong(endpoint.vni(), ping.txId(), from), from);
      } else if (m instanceof Pong pong) {
        Long sentAt = pingsInFlight.remove(new TxId(pong.txId()));
        if (sentAt != null) {
          return new PongReceived(packets.peer(), from, endpoint.vni(), clock.getAsLong() - sentAt);
        }
      }
    }
    return null;
  }

  private DatagramPacket receiveUntil(long deadlineNanos) throws IOException {
    long left = deadlineNanos - clock.getAsLong();
    if (left <= 0) {
      return null;
    }
    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
    try {
      socket.receive(p);
      return p;
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static byte[] copy(DatagramPacket p) {
    return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
  }

  private int nextGeneration() {
    // Never 0: the relay drops generation 0 (PROTOCOL.md §3).
    int g = generation++;
    return g == 0 ? generation++ : g;
  }

  @Override
  public void close() {
    socket.close();
  }
}
