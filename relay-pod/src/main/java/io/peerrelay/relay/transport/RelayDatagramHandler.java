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
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands each datagram to the relay core and carries out its verdict: the received pooled buffer is
 * forwarded as it is (retained, never copied), replies are written, the rest is released. One
 * instance per channel, so its {@link Verdict} is only touched by that channel's event loop.
 */
final class RelayDatagramHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = Logger.getLogger(RelayDatagramHandler.class.getName());

  private final RelayServer server;
  private final boolean v6;
  private final Supplier<Channel> otherFamily;
  private final Verdict verdict = new Verdict();
  private Channel pendingFlush;
  private long exceptions;
  private final BooleanSupplier logErrors;
  private final ControlLane control;

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
      ByteBuffer view = content.internalNioBuffer(content.readerIndex(), content.readableBytes());
      if (control != null && toControlLane(view)) {
        control.offer(view, packet.sender(), v6, ctx.channel());
        return;
      }
      server.handle(view, packet.sender(), v6, verdict);
      switch (verdict.kind()) {
        case FORWARD ->
            send(ctx, new DatagramPacket(content.retain(), verdict.destination()), verdict);
        case REPLY ->
            send(
                ctx,
                new DatagramPacket(Unpooled.wrappedBuffer(verdict.reply()), verdict.destination()),
                verdict);
        case DROP -> {}
      }
    } finally {
      packet.release();
    }
  }

  private void send(ChannelHandlerContext ctx, DatagramPacket out, Verdict v) {
    Channel channel = v.destinationV6() == v6 ? ctx.channel() : otherFamily.get();
    if (channel == null) {
      // No socket of the destination's family (IPv6 disabled): nothing can carry it.
      out.release();
      return;
    }
    if (channel == ctx.channel()) {
      ctx.write(out, ctx.voidPromise());
    } else if (channel.eventLoop().inEventLoop()) {
      // The partner socket of the other family shares this event loop: batch it too.
      channel.write(out, channel.voidPromise());
      pendingFlush = channel;
    } else {
      channel.writeAndFlush(out, channel.voidPromise());
    }
  }

  /** Exceptions seen on this channel (the fuzz run asserts there are none). */
  long exceptions() {
    return exceptions;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // One flush per read batch: Netty then writes everything queued with as few syscalls as it can.
    ctx.flush();
    if (pendingFlush != null) {
      pendingFlush.flush();
      pendingFlush = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    exceptions++;
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
