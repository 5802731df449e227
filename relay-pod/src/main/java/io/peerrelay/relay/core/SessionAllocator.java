package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Allocates (or returns the existing) session for a pair of client keys, as Tailscale's {@code
 * AllocateEndpoint} does (PROTOCOL.md, "Allocation"), and counts every result. Owns the drain flag:
 * once draining, nothing is allocated.
 */
final class SessionAllocator {
  private final RelayContext relay;
  private volatile boolean draining;

  SessionAllocator(RelayContext relay) {
    this.relay = relay;
  }

  void stop() {
    draining = true;
  }

  boolean stopped() {
    return draining;
  }

  /**
   * The pair's endpoint. With {@code needsGrants} (the relay port's allocation) both keys must be
   * granted and stay granted; without, key agreement for keys not granted runs here, on the
   * caller's thread, outside every lock.
   */
  UdpRelayEndpoint allocate(DiscoPublicKey a, DiscoPublicKey b, boolean needsGrants)
      throws AllocationException {
    RelaySettings current = relay.settings().get();
    DiscoPublicKey server = relay.serverPublic();
    Drops drops = relay.drops();
    if (a.equals(b) || a.equals(server) || b.equals(server)) {
      throw drops.refused(
          AllocationResult.INVALID, "the two keys must differ and not be the server's");
    }
    if (draining) {
      throw drops.refused(AllocationResult.DRAINING, "relay is draining");
    }
    if (current.advertisedEndpoints().isEmpty()) {
      throw drops.refused(AllocationResult.NO_ENDPOINTS, "no advertised endpoints configured");
    }
    DiscoPublicKey k0 = a.compareTo(b) < 0 ? a : b;
    DiscoPublicKey k1 = k0 == a ? b : a;
    DiscoSharedKey box0 = relay.grants().boxFor(k0, needsGrants);
    DiscoSharedKey box1 = relay.grants().boxFor(k1, needsGrants);
    if (box0 == null || box1 == null) {
      throw drops.refused(AllocationResult.UNGRANTED, "both keys of the pair must be granted");
    }
    SessionTable.Created made =
        relay
            .table()
            .create(
                k0,
                box0,
                k1,
                box1,
                relay.clock().getAsLong(),
                new SessionTable.Limits(
                    current.maxSessions(),
                    current.maxSessionsPerClientKey(),
                    needsGrants ? relay.grants()::contains : null));
    if (made.session() == null) {
      throw drops.refused(made.result(), refusal(made.result()));
    }
    if (made.result() == AllocationResult.OK) {
      relay.events().sessionState(SessionState.CLOSED, SessionState.CONNECTING);
    }
    relay.events().allocation(made.result());
    return endpoint(made.session(), current);
  }

  private UdpRelayEndpoint endpoint(Session s, RelaySettings current) {
    List<InetSocketAddress> eps = current.advertisedEndpoints();
    return new UdpRelayEndpoint(
        relay.serverPublic(),
        s.legs[0].key,
        s.legs[1].key,
        s.lamportId,
        s.vni(),
        current.bindLifetime(),
        current.steadyStateLifetime(),
        eps.size() > RelayServer.MAX_ADVERTISED ? eps.subList(0, RelayServer.MAX_ADVERTISED) : eps);
  }

  private static String refusal(AllocationResult result) {
    return switch (result) {
      case UNGRANTED -> "both keys of the pair must be granted";
      case KEY_LIMIT -> "a key of the pair holds maxSessionsPerClientKey sessions";
      default -> "session limit reached";
    };
  }
}
