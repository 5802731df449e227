package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.core.AllocationException;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import io.peerrelay.relay.tailnet.derp.DerpClient;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay node's disco over DERP, as tailscaled's magicsock and relay server answer it: disco
 * pings get pongs, and AllocateUDPRelayEndpointRequest from a granted peer allocates on the relay
 * core (the VNI table standalone mode uses too) and is answered with
 * AllocateUDPRelayEndpointResponse. Anything from a node that is not a granted peer is dropped and
 * counted, never answered.
 */
public final class DiscoOverDerp implements DerpClient.Listener {
  private static final Logger LOG = Logger.getLogger(DiscoOverDerp.class.getName());

  /** Tailscale's DERP magic address: a pong over DERP names it as the ping's source. */
  public static final InetAddress DERP_MAGIC_IP = derpMagicIp();

  private final DiscoBoxes boxes;
  private final RelayServer core;
  private final PeerDirectory peers;
  private final DerpSender sender;
  private volatile int derpRegionId;
  private final TailnetMetrics metrics;

  /** Pairs allocated over DERP: who asked (node keys) and the VNI, for revocation. */
  private final Map<List<DiscoPublicKey>, Allocation> allocations = new HashMap<>();

  private static final class Allocation {
    final Set<TailnetKey> requesters = new HashSet<>();
    int vni;
  }

  /**
   * @param boxes this node's disco key (the relay's server key) and box cache
   * @param core the relay core to allocate on
   * @param peers the netmap in force
   * @param sender where answers go (the DERP client)
   * @param derpRegionId the home DERP region's id: pongs over DERP name {@code 127.3.3.40:<region>}
   *     as the ping's source, as magicsock does
   * @param metrics counters
   */
  DiscoOverDerp(
      DiscoBoxes boxes,
      RelayServer core,
      PeerDirectory peers,
      DerpSender sender,
      int derpRegionId,
      TailnetMetrics metrics) {
    this.boxes = boxes;
    this.core = core;
    this.peers = peers;
    this.sender = sender;
    this.derpRegionId = derpRegionId;
    this.metrics = metrics;
  }

  /** The home region changed: pongs over DERP name the new one. */
  void derpRegionId(int id) {
    derpRegionId = id;
  }

  @Override
  public void onPacket(TailnetKey srcNode, byte[] payload) {
    try {
      handle(srcNode, payload);
    } catch (RuntimeException e) {
      // A bug must not take the DERP reader down: the packet is dropped and counted.
      metrics.allocation(TailnetAllocationResult.MALFORMED);
      LOG.log(Level.FINE, "disco over DERP from " + srcNode + " dropped: " + e, e);
    }
  }

  private void handle(TailnetKey srcNode, byte[] payload) {
    if (!DiscoPacket.looksLikeDisco(payload, 0, payload.length)) {
      return; // WireGuard over DERP: this node runs no WireGuard.
    }
    DiscoPublicKey discoSender = DiscoPacket.sender(payload, 0);
    Optional<TailnetPeer> peer = peers.peerByNodeKey(srcNode);
    if (peer.isEmpty()) {
      // Not opened: a stranger's packets cost no key agreement and earn no answer.
      metrics.allocation(TailnetAllocationResult.NOT_PEER);
      return;
    }
    byte[] plain = boxes.open(discoSender, payload);
    if (plain == null) {
      return; // Does not open: not from the holder of that disco key.
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      metrics.allocation(TailnetAllocationResult.MALFORMED);
      return;
    }
    boolean knownDisco = peer.get().discoKey().equals(discoSender);
    if (msg instanceof Ping ping) {
      pong(srcNode, discoSender, ping, knownDisco);
    } else if (msg instanceof AllocateRequest req) {
      metrics.allocation(allocate(peer.get(), discoSender, req, knownDisco));
    }
  }

  private void pong(TailnetKey srcNode, DiscoPublicKey discoSender, Ping ping, boolean knownDisco) {
    if (!knownDisco) {
      metrics.ping(TailnetMetrics.PingPath.DERP, false);
      return;
    }
    InetSocketAddress src = new InetSocketAddress(DERP_MAGIC_IP, derpRegionId);
    sender.send(srcNode, boxes.seal(discoSender, new Pong(ping.txId(), src)));
    metrics.ping(TailnetMetrics.PingPath.DERP, true);
  }

  /** Tailscale's checks, in its order, then the core; the answer goes to the source node only. */
  private TailnetAllocationResult allocate(
      TailnetPeer peer, DiscoPublicKey discoSender, AllocateRequest req, boolean knownDisco) {
    if (!knownDisco) {
      return TailnetAllocationResult.DISCO_MISMATCH;
    }
    if (!req.client0().equals(discoSender) && !req.client1().equals(discoSender)) {
      return TailnetAllocationResult.NOT_IN_PAIR;
    }
    if (!peers.grantsRelay(peer)) {
      return TailnetAllocationResult.NOT_GRANTED;
    }
    UdpRelayEndpoint endpoint;
    try {
      endpoint = core.allocate(req.client0(), req.client1());
    } catch (AllocationException e) {
      LOG.log(
          Level.FINE,
          "allocation for {0} refused: {1}",
          new Object[] {peer.name(), e.getMessage()});
      return TailnetAllocationResult.CORE_REFUSED;
    }
    remember(peer.nodeKey(), endpoint);
    AllocateResponse resp = new AllocateResponse(req.generation(), endpoint);
    sender.send(peer.nodeKey(), boxes.seal(discoSender, resp));
    return TailnetAllocationResult.OK;
  }

  private synchronized void remember(TailnetKey requester, UdpRelayEndpoint endpoint) {
    Allocation a =
        allocations.computeIfAbsent(
            List.of(endpoint.client0(), endpoint.client1()), k -> new Allocation());
    if (a.vni != endpoint.vni()) {
      a.requesters.clear();
      a.vni = endpoint.vni();
    }
    a.requesters.add(requester);
    if (allocations.size() > 2 * core.sessionCount() + 1024) {
      prune(liveVnis());
    }
  }

  /**
   * Re-checks every session allocated over DERP against the netmap in force: a requester that is no
   * longer a peer, whose disco key changed, or that lost the relay grant no longer holds the
   * session; a session nobody holds any more is ended. Call after every netmap change; returns the
   * number of sessions ended.
   */
  public int revalidate() {
    List<List<DiscoPublicKey>> toClose = new java.util.ArrayList<>();
    synchronized (this) {
      prune(liveVnis());
      for (Map.Entry<List<DiscoPublicKey>, Allocation> e : allocations.entrySet()) {
        e.getValue().requesters.removeIf(k -> !stillGranted(k, e.getKey()));
        if (e.getValue().requesters.isEmpty()) {
          toClose.add(e.getKey());
        }
      }
      toClose.forEach(allocations::remove);
    }
    int closed = 0;
    for (List<DiscoPublicKey> pair : toClose) {
      if (core.close(pair.get(0), pair.get(1))) {
        closed++;
      }
    }
    if (closed > 0) {
      metrics.revoked(closed);
      LOG.log(Level.INFO, "ended {0} relay sessions whose peers lost the relay grant", closed);
    }
    return closed;
  }

  private boolean stillGranted(TailnetKey requester, List<DiscoPublicKey> pair) {
    Optional<TailnetPeer> p = peers.peerByNodeKey(requester);
    return p.isPresent() && pair.contains(p.get().discoKey()) && peers.grantsRelay(p.get());
  }

  private Set<Integer> liveVnis() {
    Set<Integer> live = new HashSet<>();
    for (SessionInfo s : core.sessions()) {
      live.add(s.vni());
    }
    return live;
  }

  private void prune(Set<Integer> live) {
    for (Iterator<Allocation> it = allocations.values().iterator(); it.hasNext(); ) {
      if (!live.contains(it.next().vni)) {
        it.remove();
      }
    }
  }

  /** Pairs currently held by DERP allocations (tests). */
  synchronized int trackedPairs() {
    return allocations.size();
  }

  private static InetAddress derpMagicIp() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 3, 3, 40});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
