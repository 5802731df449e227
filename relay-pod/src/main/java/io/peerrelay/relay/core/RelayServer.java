package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The relay without sockets, as a dispatcher: a data packet goes straight to the session its VNI
 * names ({@link Session#forward}); a control packet to the bind handshake ({@link BindPort}) or, on
 * VNI 0, to the allocation extension ({@link AllocationPort}). It holds the settings in force and
 * wires the parts that outlive one session: the grants ({@link Grants}), the session table, the
 * allocator. Data packets take no lock; no key agreement ever runs on the packet path (the box keys
 * of granted clients are computed when the grant appears).
 */
public final class RelayServer {
  /** Allocation requests must fill at least this much of a UDP payload (anti-amplification). */
  public static final int MIN_ALLOCATION_REQUEST = 512;

  /** At most this many endpoints are advertised, so a response always fits in 512 bytes. */
  public static final int MAX_ADVERTISED = 16;

  private final DiscoPublicKey serverPublic;
  private final RelayEvents events;
  private final LongSupplier clock;
  private final SessionTable table = new SessionTable();
  private final Grants grants;
  private final Drops drops;
  private final SessionAllocator allocator;
  private final AllocationPort allocations;
  private final BindPort binds;
  private volatile RelaySettings settings;
  private volatile PlainDiscoHandler plainDisco;

  /** A relay with random nonces and cookie secrets. */
  public RelayServer(
      DiscoPrivateKey serverKey,
      RelaySettings settings,
      RelayEvents events,
      LongSupplier nanoClock) {
    this(
        serverKey,
        settings,
        events,
        nanoClock,
        NonceSource.random(),
        new SecureRandom()::nextBytes);
  }

  /** A relay whose nonces and cookie secrets come from the given sources (tests). */
  public RelayServer(
      DiscoPrivateKey serverKey,
      RelaySettings settings,
      RelayEvents events,
      LongSupplier nanoClock,
      NonceSource nonces,
      Consumer<byte[]> secretSource) {
    this(serverKey, settings, events, nanoClock, System::currentTimeMillis, nonces, secretSource);
  }

  /** A relay with its own wall clock too (unix ms, for allocation request freshness; tests). */
  public RelayServer(
      DiscoPrivateKey serverKey,
      RelaySettings settings,
      RelayEvents events,
      LongSupplier nanoClock,
      LongSupplier wallClockMillis,
      NonceSource nonces,
      Consumer<byte[]> secretSource) {
    this.serverPublic = serverKey.publicKey();
    this.events = events;
    this.clock = nanoClock;
    this.grants = new Grants(serverKey);
    this.drops = new Drops(events);
    RelayContext relay =
        new RelayContext(
            serverPublic, nonces, nanoClock, events, this::settings, grants, table, drops);
    this.allocator = new SessionAllocator(relay);
    this.allocations = new AllocationPort(relay, allocator, wallClockMillis);
    this.binds = new BindPort(relay, new MacSecrets(secretSource));
    apply(settings);
  }

  /**
   * Replaces the settings live. Sessions are kept, except those allocated on the relay port in
   * which a key that is no longer granted is a leg: revocation ends them within this call. The box
   * keys of newly granted keys are computed here, on the caller's thread, never on the packet path.
   */
  public void apply(RelaySettings s) {
    settings = s;
    grants.replace(s.allowedClientKeys());
    table.end(x -> x.revoked(grants::contains), events);
  }

  /**
   * Ends every session in which {@code key} is a leg, at once (revocation in tailnet mode); its
   * VNIs are freed, so later binds and data on them are dropped as unknown. Returns how many.
   */
  public int endSessionsOf(DiscoPublicKey key) {
    return table.end(s -> s.hasLeg(key), events);
  }

  /** The settings in force. */
  public RelaySettings settings() {
    return settings;
  }

  /** The key that seals handshakes and allocations on the relay port. */
  public DiscoPublicKey serverPublicKey() {
    return serverPublic;
  }

  /** Stops taking allocations (drain); existing sessions keep forwarding and re-binding. */
  public void stopAllocating() {
    allocator.stop();
  }

  /**
   * Installs (or, with null, removes) the handler for plain disco packets: tailnet mode answers a
   * peer's disco ping on this port. Without one such packets are handled as before.
   */
  public void plainDiscoHandler(PlainDiscoHandler handler) {
    plainDisco = handler;
  }

  /** Whether {@link #stopAllocating} was called. */
  public boolean draining() {
    return allocator.stopped();
  }

  /** Live sessions, sorted by VNI. */
  public List<SessionInfo> sessions() {
    return table.infos();
  }

  /** One page of the live sessions: at most {@code limit} with a VNI above {@code afterVni}. */
  public List<SessionInfo> sessions(int afterVni, int limit) {
    return table.infos(afterVni, limit);
  }

  /** Number of live sessions. */
  public int sessionCount() {
    return table.size();
  }

  /**
   * Decides what to do with one datagram: {@code datagram}'s position..limit is the UDP payload.
   * Never throws for any input; the buffer is only read.
   *
   * @param datagram the received payload (not modified, position and limit unchanged)
   * @param source the sender as the socket saw it
   * @param inV6 whether it arrived on the IPv6 socket
   * @param out filled in with the decision
   */
  public void handle(ByteBuffer datagram, InetSocketAddress source, boolean inV6, Verdict out) {
    int at = datagram.position();
    int len = datagram.remaining();
    if (len < Geneve.LENGTH) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    PlainDiscoHandler discoHook = plainDisco;
    if (discoHook != null && datagram.get(at) == DiscoPacket.MAGIC_FIRST_BYTE) {
      // A Geneve header never starts so (that byte would say version 1): a plain disco packet.
      plainDisco(discoHook, datagram, at, len, source, out);
      return;
    }
    int vni = Geneve.vniAt(datagram, at);
    if (!Geneve.controlAt(datagram, at)) {
      Session s = table.get(vni);
      DropReason why = s == null ? DropReason.UNKNOWN_VNI : s.forward(source, out);
      if (why != null) {
        drop(out, why);
      } else {
        count(out, inV6, len);
      }
      return;
    }
    try {
      if (Geneve.protocolAt(datagram, at) != Geneve.PROTOCOL_DISCO) {
        drop(out, DropReason.BAD_CONTROL);
      } else if (vni == 0) {
        allocations.handle(datagram, at, len, source, out);
      } else {
        binds.handle(vni, datagram, at, len, source, out);
      }
    } catch (RuntimeException e) {
      // A bug must not take the socket down: the packet is dropped and counted.
      drop(out, DropReason.MALFORMED);
    }
  }

  private void plainDisco(
      PlainDiscoHandler hook,
      ByteBuffer datagram,
      int at,
      int len,
      InetSocketAddress source,
      Verdict out) {
    byte[] reply;
    try {
      reply = hook.answer(copy(datagram, at, len), source);
    } catch (RuntimeException e) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    if (reply == null || reply.length > len) {
      drop(out, DropReason.BAD_CONTROL);
      return;
    }
    out.reply(reply, source, source.getAddress() instanceof Inet6Address);
  }

  /**
   * Allocates (or returns the existing) session for the pair, as Tailscale's {@code
   * AllocateEndpoint} does (PROTOCOL.md, "Allocation"), and counts the result. Grants are not
   * checked: the caller (tailnet mode) decided who may allocate. Key agreement for keys that are
   * not granted runs here, on the caller's thread, outside every lock.
   */
  public UdpRelayEndpoint allocate(DiscoPublicKey a, DiscoPublicKey b) throws AllocationException {
    return allocator.allocate(a, b, false);
  }

  /**
   * Ends the session of the pair now (a tailnet peer lost its grant); false when the pair has none.
   * Its VNI stops forwarding at once and becomes free for reuse.
   */
  public boolean close(DiscoPublicKey a, DiscoPublicKey b) {
    return table.end(s -> s.hasLeg(a) && s.hasLeg(b), events) > 0;
  }

  /** Removes sessions past their lifetimes; returns how many. */
  public int collectGarbage() {
    RelaySettings current = settings;
    long now = clock.getAsLong();
    long bind = current.bindLifetime().toNanos();
    long steady = current.steadyStateLifetime().toNanos();
    int n = table.end(s -> s.expired(now, bind, steady), events);
    if (n > 0) {
      events.expired(n);
    }
    return n;
  }

  /** Counts a datagram the transport dropped before the core saw it. */
  public void countDrop(DropReason reason) {
    events.dropped(reason);
  }

  /** Pages of the VNI table in use (memory bound checks in tests). */
  int tablePages() {
    return table.pageCount();
  }

  /**
   * Counts the forwarded datagrams {@code v} has gathered (per leg and in the metrics) and stamps
   * their leg's last-seen time. A verdict that {@linkplain Verdict#deferringCounts defers counts}
   * gathers a run of datagrams from one leg; its owner calls this at the end of each read batch
   * (and before it stops using the verdict). Others are settled by {@link #handle} itself.
   */
  public void settle(Verdict v) {
    long n = v.tallyPackets;
    if (n == 0) {
      return;
    }
    v.tallyLeg.received(n, v.tallyBytes, clock.getAsLong());
    events.forwarded(v.tallyInV6, v.tallyOutV6, n, v.tallyBytes);
    v.clearTally();
  }

  /** Adds a forwarded datagram to {@code out}'s run: a run of another leg is settled first. */
  private void count(Verdict out, boolean inV6, int len) {
    if (!out.tally(inV6, len)) {
      settle(out);
      out.tally(inV6, len);
    }
    if (!out.defersCounts()) {
      settle(out);
    }
  }

  private void drop(Verdict out, DropReason reason) {
    drops.drop(out, reason);
  }

  static byte[] copy(ByteBuffer datagram, int at, int len) {
    byte[] pkt = new byte[len];
    datagram.get(at, pkt, 0, len);
    return pkt;
  }
}
