package io.peerrelay.relay.tailnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.peerrelay.relay.config.TailnetConfig;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.control.ControlUrl;
import io.peerrelay.relay.tailnet.netmap.MapSession;
import io.peerrelay.relay.tailnet.netmap.NetMap;
import io.peerrelay.relay.tailnet.netmap.NetMapNode;
import io.peerrelay.relay.tailnet.relay.TailnetMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The relay as a tailnet node: registers with the control server, keeps a streaming map poll open
 * and holds the latest {@link NetMap}, which the DERP part and the allocation check read. Control
 * work runs on one daemon thread ({@link ControlLoop}) and one Netty event loop; readers only touch
 * volatile snapshots.
 */
public final class TailnetNode implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(TailnetNode.class.getName());

  /**
   * How patient the node is with control.
   *
   * @param dialTimeout connect, TLS, upgrade and Noise handshake together
   * @param requestTimeout register and lite map update
   * @param watchdog a map poll with no message (keep-alives count) for this long is restarted
   * @param minBackoff first wait after a failure (and between polls)
   * @param maxBackoff longest wait between attempts
   */
  public record Timing(
      Duration dialTimeout,
      Duration requestTimeout,
      Duration watchdog,
      Duration minBackoff,
      Duration maxBackoff) {
    /** Tailscale's client watchdog is 2 minutes; control sends keep-alives about every minute. */
    public static final Timing DEFAULT =
        new Timing(
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            Duration.ofMinutes(1));
  }

  final TailnetConfig config;
  final ControlUrl url;
  final NodeIdentity identity;
  final DiscoPublicKey discoKey;
  final String version;
  final Timing timing;
  final EventLoopGroup group;
  private final TailnetMetrics metrics;
  private final CopyOnWriteArrayList<Consumer<NetMap>> listeners = new CopyOnWriteArrayList<>();
  private final ControlLoop loop;
  volatile List<InetSocketAddress> endpoints;
  private volatile TailnetStatus status;
  private volatile NetMap netMap;
  private volatile boolean derpConnected;

  private TailnetNode(
      TailnetConfig config,
      NodeIdentity identity,
      DiscoPublicKey discoKey,
      List<InetSocketAddress> endpoints,
      String version,
      TailnetMetrics metrics,
      Timing timing) {
    this.config = config;
    this.url = ControlUrl.parse(config.controlUrl());
    this.identity = identity;
    this.discoKey = discoKey;
    this.endpoints = List.copyOf(endpoints);
    this.version = version;
    this.metrics = metrics;
    this.timing = timing;
    this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("tailnet-io", true));
    this.status =
        new TailnetStatus(
            TailnetState.STARTING,
            "connecting to " + url.base(),
            "",
            identity.nodePublicKey(),
            List.of(),
            false,
            false,
            0);
    this.loop = new ControlLoop(this);
  }

  /**
   * Starts registering and polling in the background; watch {@link #status()} for progress.
   *
   * @param config the tailnet block of the relay config
   * @param identity the machine and node keys (see {@link NodeIdentity#load})
   * @param discoKey the relay's disco public key (its server key), sent in every MapRequest
   * @param endpoints the UDP endpoints to report to control
   * @param version the relay's version, reported in Hostinfo
   * @param metrics where to count, or null
   * @param timing timeouts and back-off
   */
  public static TailnetNode start(
      TailnetConfig config,
      NodeIdentity identity,
      DiscoPublicKey discoKey,
      List<InetSocketAddress> endpoints,
      String version,
      TailnetMetrics metrics,
      Timing timing) {
    TailnetNode node =
        new TailnetNode(config, identity, discoKey, endpoints, version, metrics, timing);
    node.loop.start();
    return node;
  }

  /** The current status (never null). */
  public TailnetStatus status() {
    return status.withDerpConnected(derpConnected);
  }

  /** The latest netmap, or null before the first one. */
  public NetMap netMap() {
    return netMap;
  }

  /**
   * Calls {@code listener} with every new netmap from now on (on the control I/O thread; keep it
   * short), and at once with the current one if there is one.
   */
  public void addNetMapListener(Consumer<NetMap> listener) {
    listeners.add(listener);
    NetMap current = netMap;
    if (current != null) {
      listener.accept(current);
    }
  }

  /** Removes a listener added with {@link #addNetMapListener}. */
  public void removeNetMapListener(Consumer<NetMap> listener) {
    listeners.remove(listener);
  }

  /** For the DERP part: whether the home DERP connection is up (shown in /tailnet). */
  public void setDerpConnected(boolean connected) {
    derpConnected = connected;
  }

  /** Replaces the endpoints reported to control; sent with the next lite update. */
  public void setEndpoints(List<InetSocketAddress> next) {
    endpoints = List.copyOf(next);
    loop.endpointsChanged();
  }

  /** Null once registered with a netmap, else why the relay is not ready in tailnet mode. */
  public String notReadyReason() {
    TailnetStatus s = status;
    if (s.state() == TailnetState.REGISTERED && netMap != null) {
      return null;
    }
    return "tailnet: " + s.state().jsonName() + (s.message().isEmpty() ? "" : ": " + s.message());
  }

  /** Stops polling and closes the control connection. */
  @Override
  public void close() {
    loop.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Sets state and message; logs one line when either changes. */
  void setState(TailnetState state, String message) {
    TailnetStatus before = status;
    status = before.withState(state, message);
    if (metrics != null) {
      metrics.registered(state == TailnetState.REGISTERED);
    }
    if (before.state() != state || !before.message().equals(message)) {
      Level level =
          state == TailnetState.REGISTERED || state == TailnetState.STARTING
              ? Level.INFO
              : Level.WARNING;
      LOG.log(level, "tailnet: " + state.jsonName() + (message.isEmpty() ? "" : ": " + message));
    }
  }

  TailnetStatus rawStatus() {
    return status;
  }

  void setOnline(boolean online, int homeDerp) {
    status = status.withOnline(identity.nodePublicKey(), online, homeDerp);
  }

  /** Applies one map message from the poll; returns the new netmap or null for a keep-alive. */
  NetMap apply(MapSession session, JsonNode message) {
    NetMap next = session.apply(message);
    session.problems().forEach(p -> LOG.warning("tailnet: netmap: " + p));
    if (next == null) {
      return null;
    }
    netMap = next;
    if (metrics != null) {
      metrics.mapUpdate();
    }
    NetMapNode self = next.self();
    status = status.withSelf(self.name(), identity.nodePublicKey(), self.tailscaleIps());
    for (Consumer<NetMap> listener : listeners) {
      try {
        listener.accept(next);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "tailnet: a netmap listener failed", e);
      }
    }
    return next;
  }

  /** True when the self node's key has expired by control's clock as we know it. */
  static boolean selfKeyExpired(NetMap map) {
    return map.self().keyExpiredAt(Instant.now());
  }
}
