package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.AllocationStamp;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

/**
 * The VNI-0 allocation extension (PROTOCOL.md, "VNI-0 allocation"): a granted client asks the relay
 * port itself for a session. Every check that costs nothing comes first; the box opens with the key
 * computed when the grant appeared; the sender's own budget is charged only once the request is
 * proven to be its own.
 */
final class AllocationPort {
  private final RelayServer server;
  private final LongSupplier wallClockMillis;

  AllocationPort(RelayServer server, LongSupplier wallClockMillis) {
    this.server = server;
    this.wallClockMillis = wallClockMillis;
  }

  void handle(ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    if (len < RelayServer.MIN_ALLOCATION_REQUEST) {
      server.refuse(out, DropReason.UNPADDED, AllocationResult.INVALID);
      return;
    }
    byte[] pkt = RelayServer.copy(datagram, at, len);
    int disco = Geneve.LENGTH;
    if (!DiscoPacket.looksLikeDisco(pkt, disco, len - disco)) {
      server.drop(out, DropReason.MALFORMED);
      return;
    }
    DiscoPublicKey sender = DiscoPacket.sender(pkt, disco);
    GrantedKey granted = server.granted(sender);
    if (granted == null) {
      server.refuse(out, DropReason.UNGRANTED_KEY, AllocationResult.UNGRANTED);
      return;
    }
    byte[] plain = DiscoPacket.open(granted.box, pkt, disco, len - disco);
    if (plain == null) {
      server.drop(out, DropReason.AUTH_FAILED);
      return;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      server.refuse(out, DropReason.MALFORMED, AllocationResult.INVALID);
      return;
    }
    if (!(msg instanceof AllocateRequest req)) {
      server.drop(out, DropReason.BAD_CONTROL);
      return;
    }
    if (!req.client0().equals(sender) && !req.client1().equals(sender)) {
      server.refuse(out, DropReason.INVALID_REQUEST, AllocationResult.INVALID);
      return;
    }
    long stamp = AllocationStamp.read(plain);
    if (!AllocationStamp.fresh(stamp, wallClockMillis.getAsLong())) {
      server.refuse(out, DropReason.STALE_REQUEST, AllocationResult.INVALID);
      return;
    }
    if (!granted.advanceStamp(stamp)) {
      server.refuse(out, DropReason.REPLAYED_REQUEST, AllocationResult.INVALID);
      return;
    }
    RelaySettings current = server.settings();
    if (!granted.allocations.tryAcquire(
        server.now(), current.handshakesPerSecondPerSource(), current.handshakeBurstPerSource())) {
      server.drop(out, DropReason.RATE_LIMITED);
      return;
    }
    answer(req, granted, len, source, out);
  }

  private void answer(
      AllocateRequest req, GrantedKey granted, int len, InetSocketAddress source, Verdict out) {
    UdpRelayEndpoint endpoint;
    try {
      endpoint = server.allocateGranted(req.client0(), req.client1());
    } catch (AllocationException e) {
      // allocate() already counted the result.
      server.drop(out, dropReasonFor(e.result()));
      return;
    }
    byte[] reply =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(0),
            server.serverPublic(),
            granted.box,
            new AllocateResponse(req.generation(), endpoint).encode(),
            server.nonces());
    if (reply.length > len) {
      // Cannot happen with at most 16 endpoints; kept so the port can never amplify.
      server.drop(out, DropReason.UNPADDED);
      return;
    }
    out.reply(reply, source, source.getAddress() instanceof Inet6Address);
  }

  private static DropReason dropReasonFor(AllocationResult result) {
    return switch (result) {
      case NO_ENDPOINTS -> DropReason.NO_ENDPOINTS;
      case DRAINING -> DropReason.DRAINING;
      case LIMIT -> DropReason.SESSION_LIMIT;
      case KEY_LIMIT -> DropReason.CLIENT_KEY_LIMIT;
      case UNGRANTED -> DropReason.UNGRANTED_KEY;
      default -> DropReason.INVALID_REQUEST;
    };
  }
}
