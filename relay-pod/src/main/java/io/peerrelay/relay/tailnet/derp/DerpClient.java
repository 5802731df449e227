package io.peerrelay.relay.tailnet.derp;

import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The relay's connection to its home DERP server, as a tailnet node keeps one: it logs in with the
 * node key, stays connected (reconnecting with back-off and jitter), hands every received packet to
 * the {@link Listener} and sends packets to other nodes by node key. One daemon thread reads, one
 * writes; {@link #send} never blocks.
 */
public final class DerpClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DerpClient.class.getName());

  /**
   * Tailscale's client gives up on a silent server after 120 s (the server sends keep-alives every
   * 60 s).
   */
  static final int READ_TIMEOUT_MS = 120_000;

  /** What the client reports. Called from the client's reader thread: do not block. */
  public interface Listener {
    /** A packet from another node (a disco packet, or anything else a peer sent). */
    void onPacket(TailnetKey srcNode, byte[] payload);

    /** The server accepted our login. */
    default void onConnected() {}

    /** The connection was lost or refused; the client retries by itself. */
    default void onDisconnected(String why) {}

    /** The server says a node we sent to is not connected to it (reason 0 gone, 1 not here). */
    default void onPeerGone(TailnetKey peer, int reason) {}
  }

  /** Connection states, for health. */
  public enum State {
    CONNECTING,
    CONNECTED,
    CLOSED
  }

  /** Counters since start. */
  public record Stats(
      long connects,
      long disconnects,
      long packetsReceived,
      long packetsSent,
      long sendsDropped,
      long pingsAnswered,
      String health) {}

  private final DerpServer server;
  private final TailnetPrivateKey nodeKey;
  private final Listener listener;
  private final DerpDialer dialer;
  private final NonceSource nonces = NonceSource.random();
  private final Backoff backoff = new Backoff(() -> ThreadLocalRandom.current().nextDouble());
  private final Thread thread;
  private final Object sleep = new Object();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong pings = new AtomicLong();
  private volatile State state = State.CONNECTING;
  private volatile DerpConnection current;
  private volatile boolean preferred;
  private volatile String health = "";
  private volatile long restartWaitMs = -1;

  private DerpClient(
      DerpServer server, TailnetPrivateKey nodeKey, Listener listener, SSLContext trust) {
    this.server = server;
    this.nodeKey = nodeKey;
    this.listener = listener;
    this.dialer = new DerpDialer(trust);
    this.thread = new Thread(this::run, "derp-" + server.hostName());
    this.thread.setDaemon(true);
  }

  /** Connects to {@code server} as {@code nodeKey} in the background and stays connected. */
  public static DerpClient start(DerpServer server, TailnetPrivateKey nodeKey, Listener listener) {
    return start(server, nodeKey, listener, null);
  }

  /**
   * Like {@link #start(DerpServer, TailnetPrivateKey, Listener)} with the TLS trust taken from
   * {@code trust} instead of the JDK's default (a private CA, tests).
   */
  public static DerpClient start(
      DerpServer server, TailnetPrivateKey nodeKey, Listener listener, SSLContext trust) {
    DerpClient c = new DerpClient(server, nodeKey, listener, trust);
    c.thread.start();
    return c;
  }

  /**
   * Sends {@code payload} to {@code dstNode} through the server. False when it was not queued: not
   * connected, the queue is full, or the payload is over 64 KiB (each counted as a dropped send).
   */
  public boolean send(TailnetKey dstNode, byte[] payload) {
    DerpConnection c = current;
    if (c == null || state != State.CONNECTED || payload.length > DerpFrame.MAX_PACKET) {
      dropped.incrementAndGet();
      return false;
    }
    if (!c.enqueue(DerpFrame.sendPacket(dstNode, payload))) {
      dropped.incrementAndGet();
      return false;
    }
    sent.incrementAndGet();
    return true;
  }

  /**
   * Tells the server whether it is our home (preferred) DERP node; remembered across reconnects.
   */
  public void notePreferred(boolean value) {
    preferred = value;
    DerpConnection c = current;
    if (c != null) {
      c.enqueue(notePreferredFrame(value));
    }
  }

  /** Whether the server accepted our login and the connection is up. */
  public boolean connected() {
    return state == State.CONNECTED;
  }

  /** The connection state. */
  public State state() {
    return state;
  }

  /** Our node public key as the server knows us. */
  public TailnetKey nodePublicKey() {
    return nodeKey.publicKey(TailnetKey.Kind.NODE);
  }

  /** The server this client talks to. */
  public DerpServer server() {
    return server;
  }

  /** Counters and the server's last health message ("" when healthy). */
  public Stats stats() {
    return new Stats(
        connects.get(),
        disconnects.get(),
        received.get(),
        sent.get(),
        dropped.get(),
        pings.get(),
        health);
  }

  /** Disconnects and stops reconnecting. */
  @Override
  public void close() {
    state = State.CLOSED;
    DerpConnection c = current;
    if (c != null) {
      c.close();
    }
    synchronized (sleep) {
      sleep.notifyAll();
    }
    thread.interrupt();
  }

  private void run() {
    while (state != State.CLOSED) {
      String why = session();
      if (state == State.CLOSED) {
        return;
      }
      state = State.CONNECTING;
      disconnects.incrementAndGet();
      listener.onDisconnected(why);
      long wait = restartWaitMs >= 0 ? restartWaitMs : backoff.next();
      restartWaitMs = -1;
      LOG.log(
          Level.INFO,
          "DERP {0}: {1}; reconnecting in {2} ms",
          new Object[] {server.describe(), why, wait});
      pause(wait);
    }
  }

  /** One connection from dial to failure; returns why it ended. */
  private String session() {
    SSLSocket socket;
    try {
      socket = dialer.dial(server, READ_TIMEOUT_MS);
    } catch (IOException | RuntimeException e) {
      return "cannot connect: " + e.getMessage();
    }
    try (DerpConnection c =
        new DerpConnection(
            socket.getInputStream(), socket.getOutputStream(), socket, nodeKey, thread.getName())) {
      c.login(nonces);
      current = c;
      if (preferred) {
        c.enqueue(notePreferredFrame(true));
      }
      c.readLoop(new Events());
      return "connection ended";
    } catch (IOException | RuntimeException e) {
      return "connection lost: " + e.getMessage();
    } finally {
      current = null;
    }
  }

  private static byte[] notePreferredFrame(boolean value) {
    return DerpFrame.encode(DerpFrame.NOTE_PREFERRED, new byte[] {(byte) (value ? 1 : 0)});
  }

  private void pause(long ms) {
    synchronized (sleep) {
      try {
        if (state != State.CLOSED) {
          sleep.wait(Math.max(1, ms));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        state = State.CLOSED;
      }
    }
  }

  /** Turns frames from the read loop into state, counters and listener calls. */
  private final class Events implements DerpConnection.Events {
    @Override
    public void loggedIn() {
      if (state == State.CONNECTED) {
        return;
      }
      state = State.CONNECTED;
      backoff.reset();
      connects.incrementAndGet();
      LOG.log(
          Level.INFO,
          "DERP {0}: connected as {1}",
          new Object[] {server.describe(), nodePublicKey()});
      listener.onConnected();
    }

    @Override
    public void packet(TailnetKey src, byte[] payload) {
      received.incrementAndGet();
      listener.onPacket(src, payload);
    }

    @Override
    public void peerGone(TailnetKey peer, int reason) {
      listener.onPeerGone(peer, reason);
    }

    @Override
    public void health(String problem) {
      health = problem;
      if (!problem.isEmpty()) {
        LOG.log(
            Level.WARNING,
            "DERP {0} reports a problem: {1}",
            new Object[] {server.describe(), problem});
      }
    }

    @Override
    public void restarting(long reconnectInMs, long tryForMs) {
      // Come back when the server said it would be up again, not sooner; 30 s at most.
      restartWaitMs = Math.min(reconnectInMs, Backoff.MAX_MS);
      DerpConnection c = current;
      if (c != null) {
        c.close();
      }
    }

    @Override
    public void pinged() {
      pings.incrementAndGet();
    }
  }
}
