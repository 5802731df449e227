package io.peerrelay.relay.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DatagramPacket;
import io.peerrelay.relay.core.DropReason;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread that decides control packets (binds, answers, allocations), so the event loops that
 * forward data never spend time on crypto or wait for it: they copy a control datagram into a
 * bounded queue and go on. When the queue is full the datagram is dropped and counted ({@code
 * control_backlog}): a control flood then costs its own packets, never the forwarded ones.
 */
final class ControlLane implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ControlLane.class.getName());

  /**
   * Datagrams waiting; at most 64 KiB each, so the queue holds at most 64 MiB in the worst case.
   */
  static final int CAPACITY = 1024;

  private record Job(byte[] datagram, InetSocketAddress sender, boolean v6, Channel channel) {}

  private final RelayServer server;
  private final BlockingQueue<Job> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private volatile boolean running = true;

  ControlLane(RelayServer server) {
    this.server = server;
    this.thread = new Thread(this::run, "relay-control");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a copy of the datagram at {@code view}; drops and counts it when the queue is full. */
  void offer(ByteBuffer view, InetSocketAddress sender, boolean v6, Channel channel) {
    byte[] copy = new byte[view.remaining()];
    view.get(view.position(), copy);
    if (!queue.offer(new Job(copy, sender, v6, channel))) {
      server.countDrop(DropReason.CONTROL_BACKLOG);
    }
  }

  private void run() {
    Verdict verdict = new Verdict();
    while (running) {
      Job job;
      try {
        job = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (job == null) {
        continue;
      }
      try {
        server.handle(ByteBuffer.wrap(job.datagram()), job.sender(), job.v6(), verdict);
        if (verdict.kind() == Verdict.Kind.REPLY && job.channel().isActive()) {
          // A reply goes back to the request's source, so the receiving socket's family fits.
          job.channel()
              .writeAndFlush(
                  new DatagramPacket(
                      Unpooled.wrappedBuffer(verdict.reply()), verdict.destination()),
                  job.channel().voidPromise());
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "relay control packet from " + job.sender() + ": " + e, e);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
