package io.peerrelay.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.Verdict;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.Geneve;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands each datagram to the relay core and carries out its verdict: forwarded datagrams go to a
 * {@link ForwardBatch} (retained pooled buffers, GSO where possible), replies are written, the rest
 * is released. Each segment of a GRO super-datagram arrives here as its own datagram (Netty's epoll
 * read splits them), so the core checks every segment alone; a run of them from one client is
 * counted once, at the end of the read batch. One instance per channel, so its {@link Verdict} is
 * only touched by that channel's event loop.
 */
final class RelayDatagramHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(RelayDatagramHandler.class.getName());

  private final RelayServer server;
  private final boolean v6;
  private final Supplier<Channel> otherFamily;
  // Counts of forwarded datagrams are settled once per read batch (channelReadComplete).
  private final Verdict verdict = new Verdict().deferringCounts();
  private final boolean gso;
  private ForwardBatch batch;
  private long exceptions;
  private final BooleanSupplier logErrors;
  private final ControlLane control;
  private GroReadMode groReadMode;

  RelayDatagramHandler(
      RelayServer server, boolean v6, Supplier<Channel> otherFamily, BooleanSupplier logErrors) {
    this(server, v6, otherFamily, logErrors, null);
  }

  /** With {@code control} non-null, control packets are decided on that lane, not here. */
  RelayDatagramHandler(
      RelayServer server,
      boolean v6,
      Supplier<Channel> otherFamily,
      BooleanSupplier logErrors,
      ControlLane control) {
    this(server, v6, otherFamily, logErrors, control, false);
  }

  /** With {@code gso}, consecutive same-destination datagrams go out as one UDP GSO send. */
  RelayDatagramHandler(
      RelayServer server,
      boolean v6,
      Supplier<Channel> otherFamily,
      BooleanSupplier logErrors,
      ControlLane control,
      boolean gso) {
    this.gso = gso;
    this.control = control;
    this.server = server;
    this.v6 = v6;
    this.otherFamily = otherFamily;
    this.logErrors = logErrors;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf content = packet.content();
    try {
      ByteBuffer view = view(content, groReadMode);
      if (control != null && toControlLane(view)) {
        control.offer(view, packet.sender(), v6, ctx.channel());
        return;
      }
      server.handle(view, packet.sender(), v6, verdict);
      switch (verdict.kind()) {
        case FORWARD -> forward(ctx, content, verdict);
        case REPLY -> {
          batch(ctx).flush();
          send(
              ctx,
              new DatagramPacket(Unpooled.wrappedBuffer(verdict.reply()), verdict.destination()),
              verdict);
        }
        case DROP -> {}
      }
    } finally {
      packet.release();
    }
  }

  private ForwardBatch batch(ChannelHandlerContext ctx) {
    if (batch == null) {
      // Created on the event loop, which owns its packet pool.
      batch = new ForwardBatch(ctx.channel(), gso);
    }
    return batch;
  }

  private void forward(ChannelHandlerContext ctx, ByteBuf content, Verdict v) {
    Channel channel = v.destinationV6() == v6 ? ctx.channel() : otherFamily.get();
    if (channel == null) {
      // No socket of the destination's family (IPv6 disabled): nothing can carry it.
      return;
    }
    if (channel.eventLoop().inEventLoop()) {
      batch(ctx).add(channel, content, v.destination());
    } else {
      channel.writeAndFlush(
          new DatagramPacket(content.retain(), v.destination()), channel.voidPromise());
    }
  }

  /**
   * The datagram as a ByteBuffer without a new NIO view per packet: a slice of a recvmmsg buffer
   * would make one ({@code nioBuffer} of the parent), so the parent's cached internal buffer is
   * positioned over the slice instead. The core only reads it, before the next datagram. A GRO
   * socket's {@code mode} (or null) sees where in the receive buffer the datagram lies.
   */
  static ByteBuffer view(ByteBuf content, GroReadMode mode) {
    ByteBuf parent = content.unwrap();
    if (parent != null
        && parent.hasMemoryAddress()
        && content.hasMemoryAddress()
        && parent.nioBufferCount() == 1) {
      long address = content.memoryAddress() + content.readerIndex();
      if (mode != null) {
        mode.observe(parent, address, content.readableBytes());
      }
      return parent.internalNioBuffer(
          (int) (address - parent.memoryAddress()), content.readableBytes());
    }
    return content.internalNioBuffer(content.readerIndex(), content.readableBytes());
  }

  private void send(ChannelHandlerContext ctx, DatagramPacket out, Verdict v) {
    Channel channel = v.destinationV6() == v6 ? ctx.channel() : otherFamily.get();
    if (channel == null) {
      out.release();
      return;
    }
    if (channel == ctx.channel()) {
      ctx.write(out, ctx.voidPromise());
    } else if (channel.eventLoop().inEventLoop()) {
      // The partner socket of the other family shares this event loop: flushed with the batch.
      channel.write(out, channel.voidPromise());
      channel.flush();
    } else {
      channel.writeAndFlush(out, channel.voidPromise());
    }
  }

  /** Exceptions seen on this channel (the fuzz run asserts there are none). */
  long exceptions() {
    return exceptions;
  }

  /** A GRO socket's read mode, which this handler switches by what it sees (event loop only). */
  void groReadMode(GroReadMode mode) {
    this.groReadMode = mode;
  }

  /** The GRO read mode, or null (tests, on the event loop). */
  GroReadMode groReadMode() {
    return groReadMode;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    server.settle(verdict);
    if (groReadMode != null) {
      groReadMode.readComplete(ctx.channel().config());
    }
    // One flush per read batch: Netty then writes everything queued with as few syscalls as it can.
    if (batch != null) {
      batch.finish();
    } else {
      ctx.flush();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    server.settle(verdict);
    if (batch != null) {
      batch.discard();
    }
    ctx.fireChannelInactive();
  }

  /** GSO sends and the segments they carried on this socket (logs and tests). */
  long[] gsoCounts() {
    ForwardBatch b = batch;
    return b == null ? new long[2] : new long[] {b.gsoSends(), b.gsoSegments()};
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exceptions++;
    if (batch != null && batch.gso() && cause instanceof IOException) {
      // A kernel or device without UDP GSO refuses the super-datagram (EIO, EINVAL): the lost
      // batch is one burst of UDP; from here on the same datagrams go out one by one.
      batch.disableGso();
      LOG.warning(
          "relay socket "
              + ctx.channel().localAddress()
              + ": UDP GSO send failed ("
              + cause
              + "); sending plain datagrams from now on");
    }
    // A UDP socket has no connection to lose: log and keep serving (Tailscale closes the whole
    // server on a read error; a relay with many sessions should not).
    if (logErrors.getAsBoolean()) {
      LOG.log(Level.WARNING, "relay socket " + ctx.channel().localAddress() + ": " + cause, cause);
    }
  }

  /**
   * Allocation requests (VNI 0: X25519 for a new key) and plain disco (a tailnet peer's ping: a box
   * opened with its key) go to the control lane, so no forwarding thread does that work. Binds on a
   * session's VNI stay here, in order with the data that follows them: their box key was computed
   * at allocation, and a client's first ping through the relay, sent right after its bind answer,
   * must not overtake that answer (Tailscale's client then judges the path dead).
   */
  private static boolean toControlLane(ByteBuffer view) {
    int at = view.position();
    if (view.remaining() < Geneve.LENGTH) {
      return false;
    }
    if (view.get(at) == DiscoPacket.MAGIC_FIRST_BYTE) {
      return true;
    }
    return Geneve.controlAt(view, at) && Geneve.vniAt(view, at) == 0;
  }
}
