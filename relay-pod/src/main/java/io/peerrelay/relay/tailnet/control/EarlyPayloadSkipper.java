package io.peerrelay.relay.tailnet.control;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Drops the "early payload" a ts2021 server may send inside Noise before HTTP/2: the magic {@code
 * ff ff ff 'T' 'S'}, a 4-byte big-endian length, then that much JSON (tailcfg.EarlyNoise, a
 * challenge only used for node-key signing, which the relay does not do). Without the magic the
 * bytes are HTTP/2 already and pass through untouched. Either way the handler then leaves.
 */
final class EarlyPayloadSkipper extends ChannelInboundHandlerAdapter {
  private static final int HEADER = 9;
  private static final byte[] MAGIC = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 'T', 'S'};
  private static final long MAX_PAYLOAD = 10L << 20;

  private ByteBuf head;
  private long toSkip = -1;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    ByteBuf in = (ByteBuf) msg;
    if (toSkip < 0) {
      if (head == null) {
        head = ctx.alloc().buffer(HEADER);
      }
      head.writeBytes(in, Math.min(in.readableBytes(), HEADER - head.readableBytes()));
      if (head.readableBytes() < HEADER) {
        in.release();
        return;
      }
      if (!hasMagic(head)) {
        ByteBuf first = head;
        head = null;
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(first);
        forward(ctx, in);
        return;
      }
      toSkip = head.getUnsignedInt(5);
      head.release();
      head = null;
      if (toSkip > MAX_PAYLOAD) {
        in.release();
        throw new ControlException("the server's early payload is over 10 MiB");
      }
    }
    int skip = (int) Math.min(toSkip, in.readableBytes());
    in.skipBytes(skip);
    toSkip -= skip;
    if (toSkip == 0) {
      ctx.pipeline().remove(this);
      forward(ctx, in);
    } else {
      in.release();
    }
  }

  private static void forward(ChannelHandlerContext ctx, ByteBuf in) {
    if (in.isReadable()) {
      ctx.fireChannelRead(in);
    } else {
      in.release();
    }
  }

  private static boolean hasMagic(ByteBuf buf) {
    for (int i = 0; i < MAGIC.length; i++) {
      if (buf.getByte(i) != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (head != null) {
      head.release();
      head = null;
    }
  }
}
