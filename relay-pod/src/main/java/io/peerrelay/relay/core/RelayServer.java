package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.ChallengeCookie;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The relay's sessions and packet decisions, without sockets (B §3 and Part A). The transport hands
 * every datagram to {@link #handle}; data packets are decided with two volatile reads and an
 * address comparison, control packets (handshakes, allocations) under per-session or server locks.
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
  private final HandshakeRateLimit rateLimit;
  private final VniTable table = new VniTable();
  private final VniAllocator vnis = new VniAllocator(vni -> table.get(vni) != null);
  private final Map<Integer, Session> byVni = new TreeMap<>();
  private final Map<List<DiscoPublicKey>, Session> byPair = new HashMap<>();
  private final Map<DiscoPublicKey, DiscoSharedKey> grantedBoxes = new ConcurrentHashMap<>();
  private volatile RelaySettings settings;
  private volatile boolean draining;
  private volatile PlainDiscoHandler plainDisco;
  private long lamport;

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
    this.serverKey = serverKey;
    this.serverPublic = serverKey.publicKey();
    this.events = events;
    this.clock = nanoClock;
    this.nonces = nonces;
    this.macSecrets = new MacSecrets(secretSource);
    this.settings = settings;
    this.rateLimit =
        new HandshakeRateLimit(
            settings.handshakesPerSecondPerSource(), settings.handshakeBurstPerSource());
  }

  /** Replaces the settings live; every session is kept. */
  public void apply(RelaySettings s) {
    settings = s;
    rateLimit.configure(s.handshakesPerSecondPerSource(), s.handshakeBurstPerSource());
    grantedBoxes.keySet().retainAll(s.allowedClientKeys());
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
  public synchronized List<SessionInfo> sessions() {
    List<SessionInfo> out = new ArrayList<>(byVni.size());
    for (Session s : byVni.values()) {
      out.add(s.info());
    }
    return out;
  }

  /** Number of live sessions. */
  public synchronized int sessionCount() {
    return byVni.size();
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
    boolean control = Geneve.controlAt(datagram, at);
    if (!control) {
      forward(vni, len, source, inV6, out);
      return;
    }
    // Everything below is the control path: rate limited, so allocation is acceptable here.
    try {
      if (Geneve.protocolAt(datagram, at) != Geneve.PROTOCOL_DISCO) {
        drop(out, DropReason.BAD_CONTROL);
        return;
      }
      if (vni == 0) {
        allocateFromPacket(datagram, at, len, source, out);
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
    if (!rateLimit.tryAcquire(source, clock.getAsLong())) {
      drop(out, DropReason.RATE_LIMITED);
      return;
    }
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

  private void forward(int vni, int len, InetSocketAddress source, boolean inV6, Verdict out) {
    Session s = table.get(vni);
    if (s == null) {
      drop(out, DropReason.UNKNOWN_VNI);
      return;
    }
    Leg.Binding b0 = s.legs[0].binding;
    Leg.Binding b1 = s.legs[1].binding;
    if (b0 == null || b1 == null) {
      drop(out, DropReason.NOT_BOUND);
      return;
    }
    if (s.closed) {
      drop(out, DropReason.CLOSED);
      return;
    }
    Leg.Binding to;
    if (source.equals(b0.address())) {
      s.legs[0].received(len, clock.getAsLong());
      to = b1;
    } else if (source.equals(b1.address())) {
      s.legs[1].received(len, clock.getAsLong());
      to = b0;
    } else {
      drop(out, DropReason.BAD_SOURCE);
      return;
    }
    events.forwarded(inV6, to.v6(), len);
    out.forward(to.address(), to.v6());
  }

  private void handshake(
      int vni, ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    Session s = table.get(vni);
    if (s == null) {
      drop(out, DropReason.UNKNOWN_VNI);
      return;
    }
    long now = clock.getAsLong();
    if (!rateLimit.tryAcquire(source, now)) {
      drop(out, DropReason.RATE_LIMITED);
      return;
    }
    byte[] pkt = copy(datagram, at, len);
    int disco = Geneve.LENGTH;
    if (!DiscoPacket.looksLikeDisco(pkt, disco, len - disco)) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    int i;
    if (s.legs[0].key.matches(pkt, disco + DiscoPacket.SENDER_OFFSET)) {
      i = 0;
    } else if (s.legs[1].key.matches(pkt, disco + DiscoPacket.SENDER_OFFSET)) {
      i = 1;
    } else {
      drop(out, DropReason.AUTH_FAILED);
      return;
    }
    Leg leg = s.legs[i];
    Leg other = s.legs[1 - i];
    byte[] plain = DiscoPacket.open(leg.box, pkt, disco, len - disco);
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
    if (bind.vni() != vni || !bind.remoteKey().equals(other.key)) {
      drop(out, DropReason.BAD_MESSAGE);
      return;
    }
    byte[][] secrets = macSecrets.current(now);
    synchronized (s) {
      if (s.closed) {
        drop(out, DropReason.CLOSED);
        return;
      }
      if (bind.step() == BindStep.BIND) {
        challenge(s, leg, other, bind, secrets[0], source, out);
      } else {
        answer(s, leg, bind, secrets, source, now, out);
      }
    }
  }

  private void challenge(
      Session s,
      Leg leg,
      Leg other,
      BindMessage bind,
      byte[] secret,
      InetSocketAddress source,
      Verdict out) {
    if (bind.generation() == 0) {
      drop(out, DropReason.BAD_GENERATION);
      return;
    }
    // Overwrites any earlier in-progress generation: only the latest Bind can be answered.
    leg.inProgressGeneration = bind.generation();
    byte[] cookie = ChallengeCookie.mac(secret, s.vni(), bind.generation(), other.key, source);
    byte[] plain =
        new BindMessage(BindStep.CHALLENGE, s.vni(), bind.generation(), other.key, cookie).encode();
    byte[] reply =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(s.vni()), serverPublic, leg.box, plain, nonces);
    out.reply(reply, source, source.getAddress() instanceof Inet6Address);
  }

  private void answer(
      Session s,
      Leg leg,
      BindMessage bind,
      byte[][] secrets,
      InetSocketAddress source,
      long now,
      Verdict out) {
    if (leg.inProgressGeneration == 0 || leg.inProgressGeneration != bind.generation()) {
      drop(out, DropReason.BAD_GENERATION);
      return;
    }
    for (byte[] secret : secrets) {
      byte[] expected =
          ChallengeCookie.mac(secret, bind.vni(), bind.generation(), bind.remoteKey(), source);
      if (MessageDigest.isEqual(expected, bind.challenge())) {
        boolean wasOpen = s.open();
        leg.lastSeen.set(now);
        leg.binding = Leg.Binding.of(source);
        leg.inProgressGeneration = 0;
        if (!wasOpen && s.open()) {
          events.sessionState(SessionState.CONNECTING, SessionState.OPEN);
        }
        // Tailscale sends nothing back: success shows in end-to-end pings.
        drop(out, null);
        return;
      }
    }
    drop(out, DropReason.BAD_COOKIE);
  }

  private void allocateFromPacket(
      ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    if (len < MIN_ALLOCATION_REQUEST) {
      refuse(out, DropReason.UNPADDED, AllocationResult.INVALID);
      return;
    }
    long now = clock.getAsLong();
    if (!rateLimit.tryAcquire(source, now)) {
      drop(out, DropReason.RATE_LIMITED);
      return;
    }
    byte[] pkt = copy(datagram, at, len);
    int disco = Geneve.LENGTH;
    if (!DiscoPacket.looksLikeDisco(pkt, disco, len - disco)) {
      drop(out, DropReason.MALFORMED);
      return;
    }
    DiscoPublicKey sender = DiscoPacket.sender(pkt, disco);
    RelaySettings current = settings;
    if (!current.allowedClientKeys().contains(sender)) {
      refuse(out, DropReason.UNGRANTED_KEY, AllocationResult.UNGRANTED);
      return;
    }
    DiscoSharedKey box =
        grantedBoxes.computeIfAbsent(sender, k -> DiscoSharedKey.precompute(serverKey, k));
    byte[] plain = DiscoPacket.open(box, pkt, disco, len - disco);
    if (plain == null) {
      drop(out, DropReason.AUTH_FAILED);
      return;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      refuse(out, DropReason.MALFORMED, AllocationResult.INVALID);
      return;
    }
    if (!(msg instanceof AllocateRequest req)) {
      drop(out, DropReason.BAD_CONTROL);
      return;
    }
    if (!req.client0().equals(sender) && !req.client1().equals(sender)) {
      refuse(out, DropReason.INVALID_REQUEST, AllocationResult.INVALID);
      return;
    }
    UdpRelayEndpoint endpoint;
    try {
      endpoint = allocate(req.client0(), req.client1());
    } catch (AllocationException e) {
      // allocate() already counted the result.
      drop(out, dropReasonFor(e.result()));
      return;
    }
    byte[] reply =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(0),
            serverPublic,
            box,
            new AllocateResponse(req.generation(), endpoint).encode(),
            nonces);
    if (reply.length > len) {
      // Cannot happen with at most 16 endpoints; kept so the port can never amplify.
      drop(out, DropReason.UNPADDED);
      return;
    }
    out.reply(reply, source, source.getAddress() instanceof Inet6Address);
  }

  /**
   * Allocates (or returns the existing) session for the pair, as Tailscale's {@code
   * AllocateEndpoint} does (B §3.2), and counts the result. Grants are checked by the caller.
   */
  public UdpRelayEndpoint allocate(DiscoPublicKey a, DiscoPublicKey b) throws AllocationException {
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
    List<DiscoPublicKey> pair = List.of(k0, k1);
    Session session;
    AllocationResult result;
    synchronized (this) {
      session = byPair.get(pair);
      if (session != null) {
        result = AllocationResult.EXISTING;
      } else {
        if (byVni.size() >= current.maxSessions()) {
          throw refused(AllocationResult.LIMIT, "session limit reached");
        }
        int vni = vnis.allocate();
        if (vni == VniAllocator.EXHAUSTED) {
          throw refused(AllocationResult.LIMIT, "VNI pool exhausted");
        }
        session = new Session(vni, ++lamport, clock.getAsLong(), k0, boxFor(k0), k1, boxFor(k1));
        byPair.put(pair, session);
        byVni.put(vni, session);
        table.put(session);
        result = AllocationResult.OK;
      }
    }
    if (result == AllocationResult.OK) {
      events.sessionState(SessionState.CLOSED, SessionState.CONNECTING);
    }
    events.allocation(result);
    List<InetSocketAddress> eps = current.advertisedEndpoints();
    return new UdpRelayEndpoint(
        serverPublic,
        k0,
        k1,
        session.lamportId,
        session.vni(),
        current.bindLifetime(),
        current.steadyStateLifetime(),
        eps.size() > MAX_ADVERTISED ? eps.subList(0, MAX_ADVERTISED) : eps);
  }

  /**
   * Ends the session of the pair now (a peer lost its grant); false when the pair has none. Its VNI
   * stops forwarding at once and becomes free for reuse.
   */
  public boolean close(DiscoPublicKey a, DiscoPublicKey b) {
    DiscoPublicKey k0 = a.compareTo(b) < 0 ? a : b;
    DiscoPublicKey k1 = k0 == a ? b : a;
    SessionState was;
    synchronized (this) {
      Session s = byPair.remove(List.of(k0, k1));
      if (s == null) {
        return false;
      }
      was = s.state();
      s.closed = true;
      byVni.remove(s.vni());
      table.remove(s.vni());
    }
    events.sessionState(was, SessionState.CLOSED);
    return true;
  }

  /** Removes sessions past their lifetimes (B §3.9); returns how many. */
  public int collectGarbage() {
    RelaySettings current = settings;
    long now = clock.getAsLong();
    long bind = current.bindLifetime().toNanos();
    long steady = current.steadyStateLifetime().toNanos();
    List<SessionState> closedFrom = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Session> it = byVni.values().iterator(); it.hasNext(); ) {
        Session s = it.next();
        if (s.expired(now, bind, steady)) {
          SessionState was = s.state();
          s.closed = true;
          it.remove();
          table.remove(s.vni());
          byPair.remove(List.of(s.legs[0].key, s.legs[1].key));
          closedFrom.add(was);
        }
      }
    }
    for (SessionState was : closedFrom) {
      events.sessionState(was, SessionState.CLOSED);
    }
    if (!closedFrom.isEmpty()) {
      events.expired(closedFrom.size());
    }
    return closedFrom.size();
  }

  /** Pages of the VNI table in use (memory bound checks in tests). */
  int tablePages() {
    return table.pageCount();
  }

  private DiscoSharedKey boxFor(DiscoPublicKey client) {
    DiscoSharedKey cached = grantedBoxes.get(client);
    return cached != null ? cached : DiscoSharedKey.precompute(serverKey, client);
  }

  private AllocationException refused(AllocationResult result, String message) {
    events.allocation(result);
    return new AllocationException(result, message);
  }

  private void refuse(Verdict out, DropReason reason, AllocationResult result) {
    events.allocation(result);
    drop(out, reason);
  }

  private void drop(Verdict out, DropReason reason) {
    if (reason != null) {
      events.dropped(reason);
    }
    out.drop(reason);
  }

  private static DropReason dropReasonFor(AllocationResult result) {
    return switch (result) {
      case NO_ENDPOINTS -> DropReason.NO_ENDPOINTS;
      case DRAINING -> DropReason.DRAINING;
      case LIMIT -> DropReason.SESSION_LIMIT;
      case UNGRANTED -> DropReason.UNGRANTED_KEY;
      default -> DropReason.INVALID_REQUEST;
    };
  }

  private static byte[] copy(ByteBuffer datagram, int at, int len) {
    byte[] pkt = new byte[len];
    datagram.get(at, pkt, 0, len);
    return pkt;
  }
}
