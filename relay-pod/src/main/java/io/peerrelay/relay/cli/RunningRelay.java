package io.peerrelay.relay.cli;

import io.peerrelay.relay.config.ConfigReload;
import io.peerrelay.relay.config.ConfigStatus;
import io.peerrelay.relay.config.ConfigWatch;
import io.peerrelay.relay.config.FileSource;
import io.peerrelay.relay.config.InvalidConfigException;
import io.peerrelay.relay.config.RelayConfig;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.http.RelayView;
import io.peerrelay.relay.http.SidePortRoutes;
import io.peerrelay.relay.http.SidePortServer;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.tailnet.TailnetMode;
import io.peerrelay.relay.tailnet.TailnetStatus;
import io.peerrelay.relay.transport.RelayTransport;
import io.peerrelay.relay.transport.TransportOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One running relay: the core, its UDP sockets, the HTTP side port and the config watch, started
 * together and stopped together (with a drain) at shutdown.
 */
final class RunningRelay implements RelayView {
  private static final Logger LOG = Logger.getLogger(RunningRelay.class.getName());

  /** The readiness reason while the config lists no advertised endpoint. */
  static final String NO_ENDPOINTS =
      "no advertised endpoints: allocations are refused until the config's advertisedEndpoints"
          + " lists one";

  private final RelayMetrics metrics;
  private final RelayServer server;
  private final ConfigReload reload;
  private final RelayTransport transport;
  private SidePortServer sidePort;
  private TailnetMode tailnet;
  private ConfigWatch watch;
  private volatile boolean draining;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);

  private RunningRelay(
      RelayMetrics metrics, RelayServer server, ConfigReload reload, RelayTransport transport) {
    this.metrics = metrics;
    this.server = server;
    this.reload = reload;
    this.transport = transport;
  }

  /**
   * Reads the config and key, binds the UDP port and the side port, and starts watching both files.
   *
   * @throws InvalidConfigException if the config or key file cannot be used
   */
  static RunningRelay start(Path configFile, ServeOptions options)
      throws InvalidConfigException, InterruptedException, IOException {
    RelayMetrics metrics = new RelayMetrics(RelayVersion.text());
    ConfigReload reload =
        new ConfigReload(configFile, FileSource.DISK, java.time.Clock.systemUTC(), metrics);
    RelayConfig config = reload.current();
    DiscoPrivateKey key = reload.runningKey();
    RelaySettings settings = config.settings();
    RelayServer server = new RelayServer(key, settings, metrics, System::nanoTime);
    metrics.countSessionsFrom(server::sessionCount);
    metrics.settingsInForce(settings);
    // Tailnet mode starts after the sockets are bound; a reload before that only reaches the core.
    AtomicReference<TailnetMode> tailnetMode = new AtomicReference<>();
    reload.applyTo(
        next -> {
          server.apply(next);
          TailnetMode t = tailnetMode.get();
          if (t != null) {
            t.endpointsChanged(next.advertisedEndpoints());
          }
        });

    RelayTransport transport =
        RelayTransport.start(
            server,
            new TransportOptions(
                config.udpPort(), options.bindV4(), options.bindV6(), options.threads()));
    RunningRelay relay = new RunningRelay(metrics, server, reload, transport);
    try {
      relay.tailnet = startTailnet(config, key, server, metrics);
      tailnetMode.set(relay.tailnet);
      relay.sidePort =
          SidePortServer.start(
              SidePortServer.addressesFor(options.bindV4(), options.bindV6()),
              config.httpPort(),
              new SidePortRoutes(relay, options.sessionsToken()));
      relay.watch =
          ConfigWatch.start(
              Set.of(configFile, config.keyFile()),
              reload::check,
              options.debounce(),
              options.recheck());
    } catch (IOException | InterruptedException | RuntimeException e) {
      relay.closeNow();
      throw e;
    }
    LOG.info(relay.startLine(configFile, config));
    return relay;
  }

  /** Joins the tailnet as a node when the config has a tailnet block; null otherwise. */
  private static TailnetMode startTailnet(
      RelayConfig config, DiscoPrivateKey key, RelayServer server, RelayMetrics metrics)
      throws IOException {
    if (config.tailnet() == null) {
      return null;
    }
    return TailnetMode.start(
        config.tailnet(),
        server,
        key,
        config.advertisedEndpoints(),
        RelayVersion.text(),
        metrics.registry());
  }

  private String startLine(Path configFile, RelayConfig config) {
    return "serving as "
        + server.serverPublicKey()
        + ": UDP port "
        + config.udpPort()
        + " (IPv4 "
        + bound(transport.udpPortV4())
        + ", IPv6 "
        + bound(transport.udpPortV6())
        + ", "
        + (transport.nativeTransport() ? "epoll" : "nio")
        + ", "
        + transport.socketCounts()[0]
        + " sockets per family, SO_REUSEPORT "
        + (transport.reusePortTook() ? "took" : "not in use")
        + "), HTTP port "
        + sidePort.port()
        + "; "
        + config.advertisedEndpoints().size()
        + " advertised endpoints, "
        + config.allowedClientKeys().size()
        + " granted keys; config "
        + configFile.toAbsolutePath()
        + (tailnet == null ? "" : "; tailnet mode via " + config.tailnet().controlUrl());
  }

  private static String bound(int port) {
    return port < 0 ? "not bound" : "bound " + port;
  }

  /**
   * Stops taking allocations and flips readiness, keeps forwarding for the drain time of the config
   * in force, then closes everything.
   *
   * <p>Kubernetes removes a not-ready pod from its Service while the drain runs; clients with a
   * session keep forwarding until they move to another relay or the drain ends.
   */
  void drainAndStop() {
    Duration drain = reload.current().shutdownDrain();
    server.stopAllocating();
    draining = true;
    metrics.draining(true);
    LOG.info(
        "draining: no new allocations, forwarding "
            + server.sessionCount()
            + " sessions for "
            + io.peerrelay.relay.config.GoDuration.format(drain));
    try {
      Thread.sleep(drain.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeNow();
    LOG.info("stopped");
  }

  /** Closes the watch, the UDP sockets and the side port at once. Idempotent. */
  void closeNow() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    if (watch != null) {
      watch.close();
    }
    if (tailnet != null) {
      tailnet.close();
    }
    transport.close();
    if (sidePort != null) {
      sidePort.close();
    }
    closed.countDown();
  }

  /** Blocks until {@link #closeNow} has run (after a drain, or at once on a failed start). */
  void awaitStopped() throws InterruptedException {
    closed.await();
  }

  @Override
  public String notAliveReason() {
    if (!stopped.get() && !transport.bound()) {
      return "UDP sockets closed unexpectedly";
    }
    return null;
  }

  @Override
  public String notReadyReason() {
    if (stopped.get()) {
      return "stopped";
    }
    if (draining) {
      return "draining for shutdown: no new allocations";
    }
    if (!transport.bound()) {
      return "UDP sockets not bound";
    }
    if (server.settings().advertisedEndpoints().isEmpty()) {
      // Every allocation would be refused (no_endpoints): a replica whose address is not in its
      // config yet must not count as ready, or a rollout moves on and clients are sent to it.
      return NO_ENDPOINTS;
    }
    return tailnet == null ? null : tailnet.notReadyReason();
  }

  @Override
  public String metricsText() {
    return metrics.scrape();
  }

  @Override
  public int configuredUdpPort() {
    return reload.current().udpPort();
  }

  @Override
  public List<SessionInfo> sessions(int afterVni, int limit) {
    return server.sessions(afterVni, limit);
  }

  @Override
  public ConfigStatus configStatus() {
    return reload.status();
  }

  @Override
  public String serverDiscoKey() {
    return server.serverPublicKey().toString();
  }

  @Override
  public String tailnetJson() {
    return tailnet == null ? TailnetStatus.disabledJson() : tailnet.status().toJson();
  }
}
