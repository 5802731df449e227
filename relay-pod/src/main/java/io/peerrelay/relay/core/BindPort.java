package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.Geneve;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The bind handshake on a session's VNI (PROTOCOL.md, "Bind handshake"): every check that costs
 * nothing comes first, then the box of the leg the header names opens the packet, and the session
 * decides (challenge, accept or drop).
 */
final class BindPort {
  private final RelayContext relay;
  private final MacSecrets macSecrets;

  BindPort(RelayContext relay, MacSecrets macSecrets) {
    this.relay = relay;
    this.macSecrets = macSecrets;
  }

  void handle(
      int vni, ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    Session s = relay.table().get(vni);
    if (s == null) {
      relay.drops().drop(out, DropReason.UNKNOWN_VNI);
      return;
    }
    byte[] pkt = relay.drops().discoOrDrop(datagram, at, len, out);
    if (pkt == null) {
      return;
    }
    int disco = Geneve.LENGTH;
    int i = s.legOf(pkt, disco);
    if (i < 0) {
      relay.drops().drop(out, DropReason.AUTH_FAILED);
      return;
    }
    if (s.revoked(i, relay.grants()::contains)) {
      // Revoked: apply() ended the session; this closes the race with a bind already in flight.
      relay.drops().drop(out, DropReason.UNGRANTED_KEY);
      return;
    }
    BindMessage bind = open(s, i, pkt, len, out);
    if (bind != null) {
      long now = relay.clock().getAsLong();
      DropReason why = s.handshake(i, bind, source, now, context(now), out);
      if (why != null) {
        relay.drops().drop(out, why);
      }
    }
  }

  /** The bind or answer leg {@code i} sealed in {@code pkt}, or null (dropped and counted). */
  private BindMessage open(Session s, int i, byte[] pkt, int len, Verdict out) {
    int disco = Geneve.LENGTH;
    byte[] plain = DiscoPacket.open(s.legs[i].box, pkt, disco, len - disco);
    if (plain == null) {
      relay.drops().drop(out, DropReason.AUTH_FAILED);
      return null;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      relay.drops().drop(out, DropReason.MALFORMED);
      return null;
    }
    if (!(msg instanceof BindMessage bind) || bind.step() == BindStep.CHALLENGE) {
      relay.drops().drop(out, DropReason.BAD_CONTROL);
      return null;
    }
    return bind;
  }

  private Handshakes context(long now) {
    RelaySettings current = relay.settings().get();
    return new Handshakes(
        relay.serverPublic(),
        relay.nonces(),
        macSecrets.current(now),
        current.handshakesPerSecondPerSource(),
        current.handshakeBurstPerSource(),
        relay.events());
  }
}
