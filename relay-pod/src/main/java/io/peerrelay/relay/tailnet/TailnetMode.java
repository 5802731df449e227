package io.peerrelay.relay.tailnet;

import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.relay.config.TailnetConfig;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.tailnet.derp.DerpServer;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import io.peerrelay.relay.tailnet.netmap.NetMap;
import io.peerrelay.relay.tailnet.relay.TailnetMetrics;
import io.peerrelay.relay.tailnet.relay.TailnetRelay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Logger;

/**
 * Tailnet mode as one running part of the relay: the control side ({@link TailnetNode}: register,
 * map poll, netmap) and the data-plane side ({@link TailnetRelay}: home DERP connection, disco over
 * DERP, pongs on the UDP port) joined. Each netmap re-checks the grants of live sessions and, when
 * the home DERP node or the node key changed, moves the DERP connection.
 */
public final class TailnetMode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TailnetMode.class.getName());

  private final TailnetNode node;
  private final NodeIdentity identity;
  private final RelayServer core;
  private final DiscoPrivateKey discoKey;
  private final TailnetMetrics metrics;
  private final NetMapPeers peers;
  private volatile TailnetRelay relay;
  private byte[] derpNodeKey;
  private DerpServer home;
  private List<InetSocketAddress> reported;

  private TailnetMode(
      TailnetNode node,
      NodeIdentity identity,
      RelayServer core,
      DiscoPrivateKey discoKey,
      TailnetMetrics metrics) {
    this.node = node;
    this.identity = identity;
    this.core = core;
    this.discoKey = discoKey;
    this.metrics = metrics;
    this.peers = new NetMapPeers(node::netMap);
  }

  /**
   * Loads the node identity, starts registering with control and answers disco over DERP and on the
   * UDP port for the peers of each netmap.
   *
   * @param config the tailnet block of relay.yaml
   * @param core the relay core (one VNI table with standalone mode)
   * @param discoKey the relay's server key, also this node's disco key
   * @param endpoints the advertised UDP endpoints, reported to control
   * @param version the relay's version (Hostinfo)
   * @param registry the relay's metric registry
   * @throws IOException if the node state directory cannot be read or written
   */
  public static TailnetMode start(
      TailnetConfig config,
      RelayServer core,
      DiscoPrivateKey discoKey,
      List<InetSocketAddress> endpoints,
      String version,
      MeterRegistry registry)
      throws IOException {
    NodeIdentity identity = NodeIdentity.load(config.stateDir());
    TailnetMetrics metrics = new TailnetMetrics(registry);
    TailnetNode node =
        TailnetNode.start(
            config,
            identity,
            discoKey.publicKey(),
            endpoints,
            version,
            metrics,
            TailnetNode.Timing.DEFAULT);
    TailnetMode mode = new TailnetMode(node, identity, core, discoKey, metrics);
    mode.reported = List.copyOf(endpoints);
    node.addNetMapListener(mode::netMapChanged);
    return mode;
  }

  /** On the control I/O thread, for every new netmap. */
  private synchronized void netMapChanged(NetMap map) {
    TailnetPrivateKey nodeKey = identity.nodeKey();
    if (relay != null && !Arrays.equals(derpNodeKey, nodeKey.raw())) {
      // A new node key (rotation after expiry) is a new DERP identity: log in again with it.
      LOG.info("tailnet: node key changed, reconnecting DERP as " + identity.nodePublicKey());
      relay.close();
      relay = null;
      home = null;
    }
    if (relay == null) {
      relay = TailnetRelay.create(core, discoKey, peers, nodeKey, metrics, null);
      derpNodeKey = nodeKey.raw();
    }
    int ended = relay.netmapChanged();
    if (ended > 0) {
      LOG.info("tailnet: ended " + ended + " sessions of peers that lost the relay grant");
    }
    HomeDerp wanted = HomeDerp.of(map.derpMap());
    int region = wanted.regionId();
    DerpServer next = wanted.server();
    if (next == null) {
      if (home == null) {
        LOG.warning("tailnet: the DERP map has no DERP node to call home; peers cannot reach us");
      }
      return;
    }
    if (!next.equals(home)) {
      LOG.info("tailnet: home DERP region " + region + " via " + next.describe());
      home = next;
      relay.homeDerpChanged(next, region);
    }
  }

  /** The status for {@code GET /tailnet}, with the DERP connection's state as it is now. */
  public TailnetStatus status() {
    return node.status().withDerpConnected(derpConnected());
  }

  /** Null when registered with a netmap and logged in to the home DERP server, else why not. */
  public String notReadyReason() {
    String control = node.notReadyReason();
    if (control != null) {
      return control;
    }
    return derpConnected()
        ? null
        : "tailnet: not connected to the home DERP server"
            + (home == null ? " (none chosen yet)" : " " + home.describe());
  }

  private boolean derpConnected() {
    TailnetRelay r = relay;
    return r != null && r.derpConnected();
  }

  /** Replaces the endpoints reported to control (a config reload changed them). */
  public synchronized void endpointsChanged(List<InetSocketAddress> endpoints) {
    if (!endpoints.equals(reported)) {
      reported = List.copyOf(endpoints);
      node.setEndpoints(reported);
    }
  }

  /** Leaves DERP and stops polling control. */
  @Override
  public synchronized void close() {
    node.close();
    if (relay != null) {
      relay.close();
      relay = null;
    }
  }
}
