package io.peerrelay.relay.tailnet.relay;

import io.micrometer.core.instrument.MeterRegistry;
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
      int homeRegionId,
      TailnetPrivateKey nodeKey,
      MeterRegistry registry,
      SSLContext trust) {
    this.core = core;
    this.nodeKey = nodeKey;
    this.trust = trust;
    DiscoBoxes boxes = new DiscoBoxes(discoKey, NonceSource.random());
    this.metrics =
        new TailnetMetrics(
            registry,
            () -> {
              DerpClient c = derp.get();
              return c != null && c.connected();
            });
    // The reader thread may deliver a packet before start() has stored the client: drop then.
    DerpSender sender =
        (dst, p) -> {
          DerpClient c = derp.get();
          return c != null && c.send(dst, p);
        };
    this.disco = new DiscoOverDerp(boxes, core, peers, sender, homeRegionId, metrics);
    core.plainDiscoHandler(new PlainDiscoPongs(boxes, peers, metrics));
  }

  /**
   * Starts tailnet mode on {@code core}: connects to {@code home} (the DERP map node of this node's
   * home region {@code homeRegionId}) as {@code nodeKey} and answers disco as this node.
   *
   * @param core the relay core (shared with standalone mode)
   * @param discoKey the relay's server key, this node's disco key
   * @param peers the netmap in force
   * @param home the home DERP node from the DERP map
   * @param homeRegionId its region id (pongs over DERP carry it)
   * @param nodeKey this node's node private key (from the control client's registration)
   * @param registry the relay's metric registry ({@code RelayMetrics.registry()})
   */
  public static TailnetRelay start(
      RelayServer core,
      DiscoPrivateKey discoKey,
      PeerDirectory peers,
      DerpServer home,
      int homeRegionId,
      TailnetPrivateKey nodeKey,
      MeterRegistry registry) {
    return start(core, discoKey, peers, home, homeRegionId, nodeKey, registry, null);
  }

  /** Like the other {@code start} with TLS trust from {@code trust} (a private CA, tests). */
  public static TailnetRelay start(
      RelayServer core,
      DiscoPrivateKey discoKey,
      PeerDirectory peers,
      DerpServer home,
      int homeRegionId,
      TailnetPrivateKey nodeKey,
      MeterRegistry registry,
      SSLContext trust) {
    TailnetRelay r =
        new TailnetRelay(core, discoKey, peers, homeRegionId, nodeKey, registry, trust);
    r.homeDerpChanged(home, homeRegionId);
    return r;
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
    return derp.get().connected();
  }

  /** The DERP client (stats, state). */
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
    derp.get().close();
  }
}
