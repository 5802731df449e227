package io.peerrelay.relay.tailnet;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.tailnet.control.ControlCalls;
import io.peerrelay.relay.tailnet.control.ControlConnection;
import io.peerrelay.relay.tailnet.control.ControlException;
import io.peerrelay.relay.tailnet.control.ControlKeyFetcher;
import io.peerrelay.relay.tailnet.control.ControlProtocol;
import io.peerrelay.relay.tailnet.control.ControlRequests;
import io.peerrelay.relay.tailnet.control.MapPoll;
import io.peerrelay.relay.tailnet.control.RegisterResult;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import io.peerrelay.relay.tailnet.netmap.MapSession;
import io.peerrelay.relay.tailnet.netmap.NetMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The control session loop of a {@link TailnetNode}, on its own daemon thread: fetch the control
 * key, dial, register, send a lite update, poll; on any failure wait (doubling from minBackoff to
 * maxBackoff) and start over. The node key is rotated when control or the netmap says it expired.
 */
final class ControlLoop implements Runnable {
  private static final Logger LOG = Logger.getLogger(ControlLoop.class.getName());

  /** Raised after the state has been set to an auth problem; the loop just waits and retries. */
  private static final class AuthProblem extends Exception {
    private static final long serialVersionUID = 1L;
  }

  private final TailnetNode node;
  private final ControlKeyFetcher fetcher;
  private final Thread thread;
  private volatile boolean closed;
  private volatile ControlConnection connection;
  private volatile boolean rotate;
  private volatile boolean resendHostinfo;
  private volatile long lastMessageNanos;
  private volatile int homeDerp;
  private TailnetKey pendingOldKey;

  ControlLoop(TailnetNode node) {
    this.node = node;
    this.fetcher = new ControlKeyFetcher(node.timing.requestTimeout());
    this.thread = new Thread(this, "tailnet-control");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void close() {
    closed = true;
    thread.interrupt();
    ControlConnection c = connection;
    if (c != null) {
      c.close();
    }
  }

  void endpointsChanged() {
    resendHostinfo = true;
  }

  @Override
  public void run() {
    Duration backoff = node.timing.minBackoff();
    while (!closed) {
      try {
        session();
        backoff = node.timing.minBackoff();
      } catch (AuthProblem e) {
        backoff = longer(backoff);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        if (!closed) {
          node.setState(TailnetState.CONTROL_UNREACHABLE, describe(e));
        }
        backoff = longer(backoff);
      } finally {
        ControlConnection c = connection;
        connection = null;
        if (c != null) {
          c.close();
        }
        node.setOnline(false, homeDerp);
      }
      try {
        Thread.sleep(backoff.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private Duration longer(Duration d) {
    Duration doubled = d.multipliedBy(2);
    return doubled.compareTo(node.timing.maxBackoff()) > 0 ? node.timing.maxBackoff() : doubled;
  }

  private void session() throws Exception {
    TailnetKey controlKey = fetcher.fetch(node.url);
    ControlConnection conn =
        await(
            ControlConnection.connect(
                node.group,
                node.url,
                node.identity.machineKey(),
                controlKey,
                node.timing.dialTimeout()),
            node.timing.dialTimeout().plusSeconds(5));
    connection = conn;
    if (closed) {
      return;
    }
    register(conn);
    liteUpdate(conn);
    poll(conn);
  }

  private void register(ControlConnection conn) throws Exception {
    if (rotate) {
      rotate = false;
      pendingOldKey = node.identity.nodePublicKey();
      boolean saved = node.identity.rotateNodeKey(TailnetPrivateKey.generate());
      LOG.warning(
          "tailnet: node key "
              + pendingOldKey
              + " expired; registering new node key "
              + node.identity.nodePublicKey()
              + (saved
                  ? ""
                  : " (state folder is read-only: the new key lasts until restart; update the"
                      + " node-state Secret)"));
    }
    String authKey = readAuthKey();
    RegisterResult r = registerOnce(conn, null);
    if (!r.ok() && !r.nodeKeyExpired() && authKey != null) {
      // Only spend the auth key when control does not already know this node key.
      r = registerOnce(conn, authKey);
    }
    if (r.nodeKeyExpired()) {
      if (pendingOldKey == null) {
        rotate = true;
      }
      node.setState(
          TailnetState.NODE_KEY_EXPIRED,
          pendingOldKey == null
              ? "control says node key " + node.identity.nodePublicKey() + " expired; rotating it"
              : "control says the new node key is expired too; retrying");
      throw new AuthProblem();
    }
    if (!r.ok()) {
      authFailure(r, authKey);
    }
    pendingOldKey = null;
    if (!r.machineAuthorized()) {
      node.setState(
          TailnetState.STARTING, "registered; waiting for a tailnet admin to approve this machine");
    } else if (node.rawStatus().state() != TailnetState.REGISTERED) {
      node.setState(TailnetState.STARTING, "registered; waiting for the first netmap");
    }
  }

  private void authFailure(RegisterResult r, String authKey) throws AuthProblem {
    if (authKey == null) {
      node.setState(
          TailnetState.AUTH_KEY_MISSING,
          "control does not know this node and "
              + node.config.authKeyFile()
              + " is missing or empty: put an auth key (tskey-auth-...) in it");
    } else if (!r.error().isEmpty()) {
      node.setState(
          TailnetState.AUTH_KEY_REFUSED,
          "control refused the auth key in " + node.config.authKeyFile() + ": " + r.error());
    } else {
      node.setState(
          TailnetState.AUTH_KEY_REFUSED,
          "control did not accept the auth key in "
              + node.config.authKeyFile()
              + " and asks for an interactive login: use a valid, unexpired auth key");
    }
    throw new AuthProblem();
  }

  private RegisterResult registerOnce(ControlConnection conn, String authKey) throws Exception {
    TailnetKey nodeKey = node.identity.nodePublicKey();
    List<TailnetKey> lb = new ArrayList<>();
    if (pendingOldKey != null) {
      lb.add(pendingOldKey);
    }
    lb.add(nodeKey);
    byte[] body = ControlRequests.register(nodeKey, pendingOldKey, authKey, hostinfo());
    ControlCalls.Response res =
        await(
            ControlCalls.request(conn, ControlProtocol.REGISTER_PATH, body, lb),
            node.timing.requestTimeout());
    if (res.status() != 200) {
      throw new ControlException(
          "register answered HTTP " + res.status() + ": " + snippet(res.body()));
    }
    return RegisterResult.parse(res.body());
  }

  private void liteUpdate(ControlConnection conn) throws Exception {
    TailnetKey nodeKey = node.identity.nodePublicKey();
    byte[] body = ControlRequests.map(nodeKey, node.discoKey, node.endpoints, hostinfo(), false);
    ControlCalls.Response res =
        await(
            ControlCalls.request(conn, ControlProtocol.MAP_PATH, body, List.of(nodeKey)),
            node.timing.requestTimeout());
    if (res.status() != 200) {
      throw new ControlException(
          "map update answered HTTP " + res.status() + ": " + snippet(res.body()));
    }
  }

  private void poll(ControlConnection conn) throws Exception {
    MapSession session = new MapSession();
    lastMessageNanos = System.nanoTime();
    MapPoll poll =
        MapPoll.start(
            conn,
            node.identity.nodePublicKey(),
            node.discoKey,
            node.endpoints,
            hostinfo(),
            message -> onMessage(conn, session, message));
    try {
      while (!closed && !rotate) {
        try {
          poll.done().get(200, TimeUnit.MILLISECONDS);
          return;
        } catch (TimeoutException e) {
          // Still streaming: check the watchdog and pending Hostinfo changes.
        } catch (ExecutionException e) {
          throw unwrap(e);
        }
        long silentNanos = System.nanoTime() - lastMessageNanos;
        if (silentNanos > node.timing.watchdog().toNanos()) {
          throw new ControlException(
              "no map message for " + node.timing.watchdog().toSeconds() + "s; reconnecting");
        }
        if (resendHostinfo) {
          resendHostinfo = false;
          liteUpdate(conn);
        }
      }
    } finally {
      poll.cancel();
    }
  }

  /** On the I/O thread, for each map message. */
  private void onMessage(ControlConnection conn, MapSession session, JsonNode message) {
    lastMessageNanos = System.nanoTime();
    NetMap map;
    try {
      map = node.apply(session, message);
    } catch (IllegalArgumentException e) {
      LOG.warning("tailnet: unusable map response, reconnecting: " + e.getMessage());
      conn.close();
      return;
    }
    if (map == null || rotate) {
      // While a rotation is pending, later netmaps for the old key do not make it registered.
      return;
    }
    if (TailnetNode.selfKeyExpired(map)) {
      if (!rotate) {
        node.setState(
            TailnetState.NODE_KEY_EXPIRED,
            "node key "
                + map.self().nodeKey()
                + " expired at "
                + map.self().keyExpiry()
                + "; registering a new node key");
        rotate = true;
      }
      return;
    }
    int wanted = HomeDerp.of(map.derpMap()).regionId();
    if (wanted != 0 && wanted != homeDerp) {
      homeDerp = wanted;
      resendHostinfo = true;
    }
    node.setOnline(true, homeDerp);
    if (node.rawStatus().state() != TailnetState.REGISTERED
        && !node.rawStatus().message().contains("approve")) {
      node.setState(TailnetState.REGISTERED, "");
    }
  }

  private ControlRequests.Hostinfo hostinfo() {
    return new ControlRequests.Hostinfo(
        node.config.hostname(), node.config.tags(), "peerrelay-" + node.version, homeDerp);
  }

  private String readAuthKey() throws IOException {
    try {
      String key = Files.readString(node.config.authKeyFile(), StandardCharsets.UTF_8).strip();
      return key.isEmpty() ? null : key;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static <T> T await(CompletableFuture<T> future, Duration timeout) throws Exception {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unwrap(e);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new ControlException("control did not answer within " + timeout.toSeconds() + "s");
    }
  }

  private static Exception unwrap(ExecutionException e) {
    Throwable cause = e.getCause();
    return cause instanceof Exception ex ? ex : e;
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  private static String snippet(byte[] body) {
    String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8);
    return s.strip();
  }
}
