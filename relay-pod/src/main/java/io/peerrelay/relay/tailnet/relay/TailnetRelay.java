package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.derp.DerpClient;
import io.peerrelay.relay.tailnet.derp.DerpServer;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;

/**
 * Tailnet mode's data-plane side, wired: the home DERP connection, disco over DERP (pings and
 * allocations) and pongs on the relay's UDP port. The node's disco key is the relay's server key,
 * so the key the netmap advertises for this node is the one that seals the bind handshake.
 */
public final class TailnetRelay implements AutoCloseable {
  private final RelayServer core;
  private final TailnetPrivateKey nodeKey;
  private final SSLContext trust;
  private final TailnetMetrics metrics;
  private final DiscoOverDerp disco;
  private final AtomicReference<DerpClient> derp = new AtomicReference<>();

  private TailnetRelay(
      RelayServer core,
      DiscoPrivateKey discoKey,
      PeerDirectory peers,
      TailnetPrivateKey nodeKey,
      TailnetMetrics metrics,
      SSLContext trust) {
    this.core = core;
    this.nodeKey = nodeKey;
    this.trust = trust;
    DiscoBoxes boxes = new DiscoBoxes(discoKey, NonceSource.random());
    this.metrics = metrics;
    metrics.derpConnected(this::derpConnected);
    // A packet may arrive before homeDerpChanged has stored its client: its answer is dropped.
    DerpSender sender =
        (dst, p) -> {
          DerpClient c = derp.get();
          return c != null && c.send(dst, p);
        };
    this.disco = new DiscoOverDerp(boxes, core, peers, sender, 0, metrics);
    core.plainDiscoHandler(new PlainDiscoPongs(boxes, peers, metrics));
  }

  /**
   * Sets up tailnet mode on {@code core}: from now on plain disco pings on the UDP port from peers
   * are answered. Nothing talks to DERP until {@link #homeDerpChanged} names the home node.
   *
   * @param core the relay core (shared with standalone mode)
   * @param discoKey the relay's server key, this node's disco key
   * @param peers the netmap in force
   * @param nodeKey this node's node private key (from the control client's registration)
   * @param metrics the tailnet metrics (on the relay's registry), shared with the node
   * @param trust TLS trust for DERP servers, or null for the JDK's default (a private CA, tests)
   */
  public static TailnetRelay create(
      RelayServer core,
      DiscoPrivateKey discoKey,
      PeerDirectory peers,
      TailnetPrivateKey nodeKey,
      TailnetMetrics metrics,
      SSLContext trust) {
    return new TailnetRelay(core, discoKey, peers, nodeKey, metrics, trust);
  }

  /**
   * Moves to another home DERP node (the DERP map or the home region changed): connects there and
   * closes the old connection. Peers reach us through our new home once the control server has our
   * new home region, so the lead calls this when it reports it.
   */
  public void homeDerpChanged(DerpServer home, int homeRegionId) {
    disco.derpRegionId(homeRegionId);
    DerpClient next = DerpClient.start(home, nodeKey, disco, trust);
    next.notePreferred(true);
    DerpClient old = derp.getAndSet(next);
    if (old != null) {
      old.close();
    }
  }

  /** Call after every netmap change: sessions of peers that lost the grant end. */
  public int netmapChanged() {
    return disco.revalidate();
  }

  /** Whether the home DERP connection is logged in (readiness). */
  public boolean derpConnected() {
    DerpClient c = derp.get();
    return c != null && c.connected();
  }

  /** The DERP client (stats, state); null before {@link #homeDerpChanged}. */
  public DerpClient derp() {
    return derp.get();
  }

  /** The tailnet metrics. */
  public TailnetMetrics metrics() {
    return metrics;
  }

  /** Disconnects from DERP and stops answering plain disco on the UDP port. */
  @Override
  public void close() {
    core.plainDiscoHandler(null);
    DerpClient c = derp.getAndSet(null);
    if (c != null) {
      c.close();
    }
  }
}
