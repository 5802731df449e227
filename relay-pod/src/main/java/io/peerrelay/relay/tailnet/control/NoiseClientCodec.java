package io.peerrelay.relay.tailnet.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.peerrelay.relay.tailnet.noise.ControlHandshake;
import io.peerrelay.relay.tailnet.noise.NoiseException;
import io.peerrelay.relay.tailnet.noise.NoiseSession;
import java.util.function.Consumer;

/**
 * The Noise layer of the control connection: first reads the server's handshake answer and
 * completes the handshake, then turns inbound records into plaintext and outbound plaintext into
 * records. The protocol logic is {@link ControlHandshake} and {@link NoiseSession}; this class only
 * moves bytes. A record never exceeds 4096 bytes, so the buffer stays small whatever the peer
 * sends.
 */
final class NoiseClientCodec extends ChannelDuplexHandler {
  private final ControlHandshake handshake;
  private final Consumer<ChannelHandlerContext> onReady;
  private NoiseSession session;
  private ByteBuf pending;

  NoiseClientCodec(ControlHandshake handshake, Consumer<ChannelHandlerContext> onReady) {
    this.handshake = handshake;
    this.onReady = onReady;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    pending = ctx.alloc().buffer(NoiseSession.MAX_MESSAGE_SIZE);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (pending != null) {
      pending.release();
      pending = null;
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    ByteBuf in = (ByteBuf) msg;
    try {
      while (true) {
        // The header decides the length, so the wanted size is asked again once it is in.
        int want = wanted();
        if (pending.readableBytes() < want) {
          if (!in.isReadable()) {
            break;
          }
          pending.writeBytes(in, Math.min(in.readableBytes(), want - pending.readableBytes()));
          continue;
        }
        byte[] message = ByteBufUtil.getBytes(pending);
        pending.clear();
        if (session == null) {
          session = handshake.finish(message);
          onReady.accept(ctx);
        } else {
          ctx.fireChannelRead(Unpooled.wrappedBuffer(session.open(message, 0)));
        }
      }
    } finally {
      in.release();
    }
  }

  /** Bytes of the current message: 3 until its header is in, then all of it. */
  private int wanted() throws NoiseException {
    if (pending.readableBytes() < 3) {
      return 3;
    }
    byte[] header = new byte[3];
    pending.getBytes(pending.readerIndex(), header);
    return session == null
        ? ControlHandshake.serverMessageLength(header, 0)
        : NoiseSession.recordLength(header, 0);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.write(msg, promise);
      return;
    }
    try {
      if (session == null) {
        throw new NoiseException("write before the Noise handshake finished");
      }
      byte[] plain = ByteBufUtil.getBytes(buf);
      ctx.write(Unpooled.wrappedBuffer(session.seal(plain, 0, plain.length)), promise);
    } finally {
      buf.release();
    }
  }
}
