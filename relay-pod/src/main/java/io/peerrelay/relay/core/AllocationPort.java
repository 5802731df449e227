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
  private final RelayContext relay;
  private final SessionAllocator allocator;
  private final LongSupplier wallClockMillis;

  AllocationPort(RelayContext relay, SessionAllocator allocator, LongSupplier wallClockMillis) {
    this.relay = relay;
    this.allocator = allocator;
    this.wallClockMillis = wallClockMillis;
  }

  void handle(ByteBuffer datagram, int at, int len, InetSocketAddress source, Verdict out) {
    if (len < RelayServer.MIN_ALLOCATION_REQUEST) {
      relay.drops().refuse(out, DropReason.UNPADDED, AllocationResult.INVALID);
      return;
    }
    byte[] pkt = relay.drops().discoOrDrop(datagram, at, len, out);
    if (pkt == null) {
      return;
    }
    int disco = Geneve.LENGTH;
    DiscoPublicKey sender = DiscoPacket.sender(pkt, disco);
    GrantedKey granted = relay.grants().get(sender);
    if (granted == null) {
      relay.drops().refuse(out, DropReason.UNGRANTED_KEY, AllocationResult.UNGRANTED);
      return;
    }
    byte[] plain = DiscoPacket.open(granted.box, pkt, disco, len - disco);
    if (plain == null) {
      relay.drops().drop(out, DropReason.AUTH_FAILED);
      return;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      relay.drops().refuse(out, DropReason.MALFORMED, AllocationResult.INVALID);
      return;
    }
    if (!(msg instanceof AllocateRequest req)) {
      relay.drops().drop(out, DropReason.BAD_CONTROL);
      return;
    }
    if (!req.client0().equals(sender) && !req.client1().equals(sender)) {
      relay.drops().refuse(out, DropReason.INVALID_REQUEST, AllocationResult.INVALID);
      return;
    }
    long stamp = AllocationStamp.read(plain);
    if (!AllocationStamp.fresh(stamp, wallClockMillis.getAsLong())) {
      relay.drops().refuse(out, DropReason.STALE_REQUEST, AllocationResult.INVALID);
      return;
    }
    if (!granted.advanceStamp(stamp)) {
      relay.drops().refuse(out, DropReason.REPLAYED_REQUEST, AllocationResult.INVALID);
      return;
    }
    RelaySettings current = relay.settings().get();
    if (!granted.allocations.tryAcquire(
        relay.clock().getAsLong(),
        current.handshakesPerSecondPerSource(),
        current.handshakeBurstPerSource())) {
      relay.drops().drop(out, DropReason.RATE_LIMITED);
      return;
    }
    answer(req, granted, len, source, out);
  }

  private void answer(
      AllocateRequest req, GrantedKey granted, int len, InetSocketAddress source, Verdict out) {
    UdpRelayEndpoint endpoint;
    try {
      endpoint = allocator.allocate(req.client0(), req.client1(), true);
    } catch (AllocationException e) {
      // allocate() already counted the result.
      relay.drops().drop(out, dropReasonFor(e.result()));
      return;
    }
    byte[] reply =
        DiscoPacket.sealWithGeneve(
            Geneve.discoControl(0),
            relay.serverPublic(),
            granted.box,
            new AllocateResponse(req.generation(), endpoint).encode(),
            relay.nonces());
    if (reply.length > len) {
      // Cannot happen with at most 16 endpoints; kept so the port can never amplify.
      relay.drops().drop(out, DropReason.UNPADDED);
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
