package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.ChallengeCookie;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.Geneve;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.function.Predicate;

/**
 * One allocation: a VNI shared by two legs, leg 0 holding the smaller disco key (PROTOCOL.md,
 * "Sessions"). It makes its own decisions, as Tailscale's per-endpoint type does: forward a data
 * packet, challenge a bind, accept an answer, expire. The {@link SessionTable} only indexes it.
 */
final class Session {
  private final int vni;
  final long lamportId;
  final long allocatedAt;
  final Leg[] legs;

  /** Created through the VNI-0 extension: both keys must stay granted for it to live. */
  final boolean needsGrants;

  /** Set when the table removes it; packets already holding the session see it and drop. */
  volatile boolean closed;

  Session(
      int vni,
      long lamportId,
      long allocatedAt,
      boolean needsGrants,
      DiscoPublicKey key0,
      DiscoSharedKey box0,
      DiscoPublicKey key1,
      DiscoSharedKey box1) {
    this.vni = vni;
    this.lamportId = lamportId;
    this.allocatedAt = allocatedAt;
    this.needsGrants = needsGrants;
    this.legs = new Leg[] {new Leg(key0, box0), new Leg(key1, box1)};
  }

  int vni() {
    return vni;
  }

  /** Both legs bound: the session forwards. */
  boolean open() {
    return legs[0].binding != null && legs[1].binding != null;
  }

  SessionState state() {
    return closed ? SessionState.CLOSED : open() ? SessionState.OPEN : SessionState.CONNECTING;
  }

  boolean hasLeg(DiscoPublicKey key) {
    return legs[0].key.equals(key) || legs[1].key.equals(key);
  }

  /**
   * Whether leg {@code i}'s key lost the grant this session depends on (only sessions allocated on
   * the relay port depend on grants).
   */
  boolean revoked(int i, Predicate<DiscoPublicKey> granted) {
    return needsGrants && !granted.test(legs[i].key);
  }

  /** Whether either leg's key lost the grant this session depends on. */
  boolean revoked(Predicate<DiscoPublicKey> granted) {
    return revoked(0, granted) || revoked(1, granted);
  }

  /** Expired: unbound past the bind lifetime, or a bound leg silent too long. */
  boolean expired(long now, long bindLifetimeNanos, long steadyStateNanos) {
    if (!open()) {
      return now - allocatedAt > bindLifetimeNanos;
    }
    return now - legs[0].lastSeen.get() > steadyStateNanos
        || now - legs[1].lastSeen.get() > steadyStateNanos;
  }

  /**
   * A data packet: sent on to the other leg when it comes from a bound leg's address. Lock-free:
   * two volatile reads and an address comparison. Returns why it was dropped, or null; {@code out}
   * then names the leg it came from, for the caller to count.
   */
  DropReason forward(InetSocketAddress source, Verdict out) {
    Leg.Binding b0 = legs[0].binding;
    Leg.Binding b1 = legs[1].binding;
    if (b0 == null || b1 == null) {
      return DropReason.NOT_BOUND;
    }
    if (closed) {
      return DropReason.CLOSED;
    }
    Leg from;
    Leg.Binding to;
    if (source.equals(b0.address())) {
      from = legs[0];
      to = b1;
    } else if (source.equals(b1.address())) {
      from = legs[1];
      to = b0;
    } else {
      return DropReason.BAD_SOURCE;
    }
    out.forward(to.address(), to.v6(), from);
    return null;
  }

  /** Which leg the disco header at {@code disco} names as sender: 0, 1 or -1. */
  int legOf(byte[] pkt, int disco) {
    if (legs[0].key.matches(pkt, disco + DiscoPacket.SENDER_OFFSET)) {
      return 0;
    }
    return legs[1].key.matches(pkt, disco + DiscoPacket.SENDER_OFFSET) ? 1 : -1;
  }

  /**
   * A bind or an answer from leg {@code i}, already opened with that leg's box and parsed. The
   * leg's own budget is charged only now, so forged packets cannot spend it. Returns why it was
   * dropped, or null when it was answered with a challenge or accepted (which sends nothing).
   */
  DropReason handshake(
      int i, BindMessage bind, InetSocketAddress source, long now, Handshakes ctx, Verdict out) {
    Leg leg = legs[i];
    Leg other = legs[1 - i];
    if (bind.vni() != vni || !bind.remoteKey().equals(other.key)) {
      return DropReason.BAD_MESSAGE;
    }
    if (!leg.handshakes.tryAcquire(now, ctx.perSecond(), ctx.burst())) {
      return DropReason.RATE_LIMITED;
    }
    synchronized (this) {
      if (closed) {
        return DropReason.CLOSED;
      }
      return bind.step() == BindStep.BIND
          ? challenge(leg, other, bind, source, ctx, out)
          : answer(leg, bind, source, now, ctx, out);
    }
  }

  private DropReason challenge(
      Leg leg, Leg other, BindMessage bind, InetSocketAddress source, Handshakes ctx, Verdict out) {
    if (bind.generation() == 0) {
      return DropReason.BAD_GENERATION;
    }
    // Overwrites any earlier in-progress generation: only the latest Bind can be answered.
    leg.inProgressGeneration = bind.generation();
    byte[] cookie =
        ChallengeCookie.mac(ctx.secrets()[0], vni, bind.generation(), other.key, source);
    byte[] plain =
        new BindMessage(BindStep.CHALLENGE, vni, bind.generation(), other.key, cookie).encode();
    byte[] reply =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(vni), ctx.serverPublic(), leg.box, plain, ctx.nonces());
    out.reply(reply, source, source.getAddress() instanceof Inet6Address);
    return null;
  }

  private DropReason answer(
      Leg leg, BindMessage bind, InetSocketAddress source, long now, Handshakes ctx, Verdict out) {
    if (leg.inProgressGeneration == 0 || leg.inProgressGeneration != bind.generation()) {
      return DropReason.BAD_GENERATION;
    }
    for (byte[] secret : ctx.secrets()) {
      byte[] expected =
          ChallengeCookie.mac(secret, bind.vni(), bind.generation(), bind.remoteKey(), source);
      if (MessageDigest.isEqual(expected, bind.challenge())) {
        boolean wasOpen = open();
        leg.lastSeen.set(now);
        leg.binding = Leg.Binding.of(source);
        leg.inProgressGeneration = 0;
        if (!wasOpen && open()) {
          ctx.events().sessionState(SessionState.CONNECTING, SessionState.OPEN);
        }
        // Tailscale sends nothing back: success shows in end-to-end pings.
        out.drop(null);
        return null;
      }
    }
    return DropReason.BAD_COOKIE;
  }

  SessionInfo info() {
    return new SessionInfo(vni, legs[0].info(), legs[1].info());
  }
}
