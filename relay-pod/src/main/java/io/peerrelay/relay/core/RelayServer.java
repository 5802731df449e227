package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The relay without sockets: dispatches every datagram to the session it names (data, binds) or to
 * the VNI-0 allocation extension, and owns what outlives one session: settings, grants, cookie
 * secrets. Data packets take no lock; no key agreement ever runs on the packet path (the box keys
 * of granted clients are computed when the grant appears).
 */
public final class RelayServer {
  /** Allocation requests must fill at least this much of a UDP payload (anti-amplification). */
  public static final int MIN_ALLOCATION_REQUEST = 512;

  /** At most this many endpoints are advertised, so a response always fits in 512 bytes. */
  public static final int MAX_ADVERTISED = 16;

  private final DiscoPrivateKey serverKey;
  private final DiscoPublicKey serverPublic;
  private final RelayEvents events;
  private final LongSupplier clock;
  private final NonceSource nonces;
  private final MacSecrets macSecrets;
  private final SessionTable table = new SessionTable();
  private final AllocationPort allocations;
  private volatile Map<DiscoPublicKey, GrantedKey> grants = Map.of();
  private volatile RelaySettings settings;
  private volatile boolean draining;
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
    this.serverKey = serverKey;
    this.serverPublic = serverKey.publicKey();
    this.events = events;
    this.clock = nanoClock;
    this.nonces = nonces;
    this.macSecrets = new MacSecrets(secretSource);
    this.allocations = new AllocationPort(this, wallClockMillis);
    apply(settings);
  }

  /**
   * Replaces the settings live. Sessions are kept, except those allocated on the relay port in
   * which a key that is no longer granted is a leg: revocation ends them within this call. The box
   * keys of newly granted keys are computed here, on the caller's thread, never on the packet path.
   */
  public void apply(RelaySettings s) {
    Map<DiscoPublicKey, GrantedKey> old = grants;
    Map<DiscoPublicKey, GrantedKey> next = new HashMap<>();
    for (DiscoPublicKey k : s.allowedClientKeys()) {
      GrantedKey kept = old.get(k);
      next.put(k, kept != null ? kept : new GrantedKey(DiscoSharedKey.precompute(serverKey, k)));
    }
    settings = s;
    grants = Map.copyOf(next);
    Map<DiscoPublicKey, GrantedKey> now = grants;
    close(
        table.removeIf(
            x ->
                x.needsGrants
                    && !(now.containsKey(x.legs[0].key) && now.containsKey(x.legs[1].key))));
  }

  /**
   * Ends every session in which {@code key} is a leg, at once (revocation in tailnet mode); its
   * VNIs are freed, so later binds and data on them are dropped as unknown. Returns how many.
   */
  public int endSessionsOf(DiscoPublicKey key) {
    return close(table.removeIf(s -> s.hasLeg(key)));
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
    draining = true;
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
    return draining;
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
      DropReason why =
          s == null ? DropReason.UNKNOWN_VNI : s.forward(len, source, clock.getAsLong(), out);
      if (why != null) {
        drop(out, why);
      } else {
        events.forwarded(inV6, out.destinationV6(), len);
      }
      return;
    }
    try {
      if (Geneve.protocolAt(datagram, at) != Geneve.PROTOCOL_DISCO) {
        drop(out, DropReason.BAD_CONTROL);
      } else if (vni == 0) {
        allocations.handle(datagram, at, len, source, out);
      } else {
        handshake(vni, datagram, at, len, source, out);
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

  private void handshake(
      int vni, ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    Session s = table.get(vni);
    if (s == null) {
      drop(out, DropReason.UNKNOWN_VNI);
      return;
    }
    byte[] pkt = copy(datagram, at, len);
    int disco = Geneve.LENGTH;
    if (!DiscoPacket.looksLikeDisco(pkt, disco, len - disco)) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    int i = s.legOf(pkt, disco);
    if (i < 0) {
      drop(out, DropReason.AUTH_FAILED);
      return;
    }
    if (s.needsGrants && !grants.containsKey(s.legs[i].key)) {
      // Revoked: apply() ended the session; this closes the race with a bind already in flight.
      drop(out, DropReason.UNGRANTED_KEY);
      return;
    }
    byte[] plain = DiscoPacket.open(s.legs[i].box, pkt, disco, len - disco);
    if (plain == null) {
      drop(out, DropReason.AUTH_FAILED);
      return;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    if (!(msg instanceof BindMessage bind) || bind.step() == BindStep.CHALLENGE) {
      drop(out, DropReason.BAD_CONTROL);
      return;
    }
    long now = clock.getAsLong();
    RelaySettings current = settings;
    Handshakes ctx =
        new Handshakes(
            serverPublic,
            nonces,
            macSecrets.current(now),
            current.handshakesPerSecondPerSource(),
            current.handshakeBurstPerSource(),
            events);
    DropReason why = s.handshake(i, bind, source, now, ctx, out);
    if (why != null) {
      drop(out, why);
    }
  }

  /**
   * Allocates (or returns the existing) session for the pair, as Tailscale's {@code
   * AllocateEndpoint} does (PROTOCOL.md, "Allocation"), and counts the result. Grants are not
   * checked: the caller (tailnet mode) decided who may allocate. Key agreement for keys that are
   * not granted runs here, on the caller's thread, outside every lock.
   */
  public UdpRelayEndpoint allocate(DiscoPublicKey a, DiscoPublicKey b) throws AllocationException {
    return allocate(a, b, false);
  }

  /** The relay port's allocation: both keys must be granted, and stay granted. */
  UdpRelayEndpoint allocateGranted(DiscoPublicKey a, DiscoPublicKey b) throws AllocationException {
    return allocate(a, b, true);
  }

  GrantedKey granted(DiscoPublicKey key) {
    return grants.get(key);
  }

  private UdpRelayEndpoint allocate(DiscoPublicKey a, DiscoPublicKey b, boolean needsGrants)
      throws AllocationException {
    RelaySettings current = settings;
    if (a.equals(b) || a.equals(serverPublic) || b.equals(serverPublic)) {
      throw refused(AllocationResult.INVALID, "the two keys must differ and not be the server's");
    }
    if (draining) {
      throw refused(AllocationResult.DRAINING, "relay is draining");
    }
    if (current.advertisedEndpoints().isEmpty()) {
      throw refused(AllocationResult.NO_ENDPOINTS, "no advertised endpoints configured");
    }
    DiscoPublicKey k0 = a.compareTo(b) < 0 ? a : b;
    DiscoPublicKey k1 = k0 == a ? b : a;
    DiscoSharedKey box0 = boxFor(k0, needsGrants);
    DiscoSharedKey box1 = boxFor(k1, needsGrants);
    if (box0 == null || box1 == null) {
      throw refused(AllocationResult.UNGRANTED, "both keys of the pair must be granted");
    }
    SessionTable.Created made =
        table.create(
            k0,
            box0,
            k1,
            box1,
            clock.getAsLong(),
            new SessionTable.Limits(
                current.maxSessions(),
                current.maxSessionsPerClientKey(),
                needsGrants ? k -> grants.containsKey(k) : null));
    if (made.session() == null) {
      throw refused(made.result(), refusal(made.result()));
    }
    if (made.result() == AllocationResult.OK) {
      events.sessionState(SessionState.CLOSED, SessionState.CONNECTING);
    }
    events.allocation(made.result());
    List<InetSocketAddress> eps = current.advertisedEndpoints();
    return new UdpRelayEndpoint(
        serverPublic,
        k0,
        k1,
        made.session().lamportId,
        made.session().vni(),
        current.bindLifetime(),
        current.steadyStateLifetime(),
        eps.size() > MAX_ADVERTISED ? eps.subList(0, MAX_ADVERTISED) : eps);
  }

  /**
   * Ends the session of the pair now (a tailnet peer lost its grant); false when the pair has none.
   * Its VNI stops forwarding at once and becomes free for reuse.
   */
  public boolean close(DiscoPublicKey a, DiscoPublicKey b) {
    return close(table.removeIf(s -> s.hasLeg(a) && s.hasLeg(b))) > 0;
  }

  private static String refusal(AllocationResult result) {
    return switch (result) {
      case UNGRANTED -> "both keys of the pair must be granted";
      case KEY_LIMIT -> "a key of the pair holds maxSessionsPerClientKey sessions";
      default -> "session limit reached";
    };
  }

  /** Removes sessions past their lifetimes; returns how many. */
  public int collectGarbage() {
    RelaySettings current = settings;
    long now = clock.getAsLong();
    long bind = current.bindLifetime().toNanos();
    long steady = current.steadyStateLifetime().toNanos();
    int n = close(table.removeIf(s -> s.expired(now, bind, steady)));
    if (n > 0) {
      events.expired(n);
    }
    return n;
  }

  private int close(List<Session> removed) {
    for (Session s : removed) {
      events.sessionState(
          s.open() ? SessionState.OPEN : SessionState.CONNECTING, SessionState.CLOSED);
    }
    return removed.size();
  }

  /** Counts a datagram the transport dropped before the core saw it. */
  public void countDrop(DropReason reason) {
    events.dropped(reason);
  }

  /** Pages of the VNI table in use (memory bound checks in tests). */
  int tablePages() {
    return table.pageCount();
  }

  long now() {
    return clock.getAsLong();
  }

  DiscoPublicKey serverPublic() {
    return serverPublic;
  }

  NonceSource nonces() {
    return nonces;
  }

  private DiscoSharedKey boxFor(DiscoPublicKey client, boolean grantedOnly) {
    GrantedKey g = grants.get(client);
    if (g != null) {
      return g.box;
    }
    return grantedOnly ? null : DiscoSharedKey.precompute(serverKey, client);
  }

  private AllocationException refused(AllocationResult result, String message) {
    events.allocation(result);
    return new AllocationException(result, message);
  }

  void refuse(Verdict out, DropReason reason, AllocationResult result) {
    events.allocation(result);
    drop(out, reason);
  }

  void drop(Verdict out, DropReason reason) {
    if (reason != null) {
      events.dropped(reason);
    }
    out.drop(reason);
  }

  static byte[] copy(ByteBuffer datagram, int at, int len) {
    byte[] pkt = new byte[len];
    datagram.get(at, pkt, 0, len);
    return pkt;
  }
}
