package io.peerrelay.relay.tailnet.derp;

import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One logged-in DERP connection: the login exchange, then a read loop (in the caller's thread) and
 * a writer thread fed by a bounded queue, so {@link #enqueue} never blocks the caller on a slow
 * server: a full queue drops the frame, as a full UDP socket buffer would.
 */
final class DerpConnection implements Closeable {
  /** Frames waiting to be written; beyond this they are dropped and counted. */
  static final int QUEUE = 512;

  /** What the read loop reports. */
  interface Events {
    /** The server answered the login with its (verified) server info. */
    void loggedIn();

    /** A packet from {@code src}. */
    void packet(TailnetKey src, byte[] payload);

    /** A peer we sent to is gone from the server. */
    void peerGone(TailnetKey peer, int reason);

    /** The server's health problem, or "" when it is healthy again. */
    void health(String problem);

    /** The server announced a restart: reconnect after {@code reconnectInMs}. */
    void restarting(long reconnectInMs, long tryForMs);

    /** The server pinged us and we queued the pong. */
    void pinged();
  }

  private static final byte[] CLOSE = new byte[0];

  private final InputStream rawIn;
  private final OutputStream rawOut;
  private final Closeable socket;
  private final TailnetPrivateKey nodeKey;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread writer;
  private volatile boolean closed;
  private byte[] serverKey;
  private DataInputStream in;

  DerpConnection(
      InputStream in, OutputStream out, Closeable socket, TailnetPrivateKey nodeKey, String name) {
    this.rawIn = in;
    this.rawOut = new BufferedOutputStream(out, 16 << 10);
    this.socket = socket;
    this.nodeKey = nodeKey;
    this.writer = new Thread(this::writeLoop, name + "-writer");
    this.writer.setDaemon(true);
  }

  /** Reads the server key, sends our client info and starts the writer; returns the server key. */
  byte[] login(NonceSource nonces) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(rawIn, 16 << 10));
    serverKey = DerpFrame.serverKey(DerpFrame.read(in, 1 << 10));
    rawOut.write(DerpFrame.clientInfo(nodeKey, serverKey, nonces));
    rawOut.flush();
    writer.start();
    this.in = in;
    return serverKey.clone();
  }

  /** Reads frames until the connection fails or is closed; always ends with an exception. */
  void readLoop(Events events) throws IOException {
    while (!closed) {
      DerpFrame.Frame f = DerpFrame.read(in, DerpFrame.MAX_FRAME);
      dispatch(f, events);
    }
    throw new IOException("closed");
  }

  private void dispatch(DerpFrame.Frame f, Events events) throws IOException {
    byte[] p = f.payload();
    switch (f.type()) {
      case DerpFrame.SERVER_INFO -> {
        if (DerpFrame.openServerInfo(nodeKey, serverKey, p) == null) {
          throw new IOException("DERP server info does not open with the server's key");
        }
        events.loggedIn();
      }
      case DerpFrame.RECV_PACKET -> {
        if (p.length >= TailnetKey.LENGTH) {
          events.packet(
              TailnetKey.fromRaw(TailnetKey.Kind.NODE, p, 0),
              Arrays.copyOfRange(p, TailnetKey.LENGTH, p.length));
        }
      }
      case DerpFrame.PING -> {
        if (p.length >= 8) {
          enqueue(DerpFrame.encode(DerpFrame.PONG, Arrays.copyOf(p, 8)));
          events.pinged();
        }
      }
      case DerpFrame.PEER_GONE -> {
        if (p.length >= TailnetKey.LENGTH) {
          int reason = p.length > TailnetKey.LENGTH ? p[TailnetKey.LENGTH] & 0xFF : 0;
          events.peerGone(TailnetKey.fromRaw(TailnetKey.Kind.NODE, p, 0), reason);
        }
      }
      case DerpFrame.HEALTH -> events.health(printable(p));
      case DerpFrame.RESTARTING -> {
        if (p.length >= 8) {
          events.restarting(DerpFrame.be32(p, 0) & 0xFFFFFFFFL, DerpFrame.be32(p, 4) & 0xFFFFFFFFL);
        }
      }
      default -> {
        // Keep-alives, pongs, peer-present and frame types of later versions: nothing to do.
      }
    }
  }

  /** At most 200 printable characters of a server's text, so a log line stays a line. */
  static String printable(byte[] p) {
    String s = new String(p, 0, Math.min(p.length, 200), StandardCharsets.UTF_8);
    return s.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Queues a whole frame; false when the queue is full or the connection closed. */
  boolean enqueue(byte[] frame) {
    return !closed && queue.offer(frame);
  }

  private void writeLoop() {
    try {
      while (!closed) {
        byte[] frame = queue.poll(1, TimeUnit.SECONDS);
        if (frame == null) {
          continue;
        }
        if (frame == CLOSE) {
          return;
        }
        rawOut.write(frame);
        if (queue.isEmpty()) {
          rawOut.flush();
        }
      }
    } catch (IOException | InterruptedException e) {
      // A failed write ends the connection; the reader then sees the closed socket.
      closeQuietly();
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    closed = true;
    queue.clear();
    queue.offer(CLOSE);
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing more to release.
    }
  }
}
