package io.peerrelay.relay.tailnet.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The HTTP/1.1 half of ts2021: sends {@code POST /ts2021} with the Noise initiation in the
 * X-Tailscale-Handshake header, waits for {@code 101 Switching Protocols} with the Tailscale
 * upgrade token, then steps out of the pipeline and hands every later byte (the Noise response
 * first) to the next handler. Written by hand rather than with Netty's HTTP codec because nothing
 * after the 101 is HTTP/1.1, and the codec would have to be pried off with bytes still buffered.
 */
final class Ts2021UpgradeHandler extends ChannelInboundHandlerAdapter {
  private static final int MAX_RESPONSE_HEAD = 16 * 1024;

  private final String authority;
  private final byte[] initiation;
  private ByteBuf head;

  Ts2021UpgradeHandler(String authority, byte[] initiation) {
    this.authority = authority;
    this.initiation = initiation.clone();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    String request =
        "POST "
            + ControlProtocol.UPGRADE_PATH
            + " HTTP/1.1\r\n"
            + "Host: "
            + authority
            + "\r\n"
            + "Upgrade: "
            + ControlProtocol.UPGRADE_PROTOCOL
            + "\r\n"
            + "Connection: upgrade\r\n"
            + ControlProtocol.HANDSHAKE_HEADER
            + ": "
            + Base64.getEncoder().encodeToString(initiation)
            + "\r\n"
            + "Content-Length: 0\r\n"
            + "\r\n";
    ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    ByteBuf in = (ByteBuf) msg;
    if (head == null) {
      head = ctx.alloc().buffer();
    }
    head.writeBytes(in);
    in.release();
    int end = indexOfBlankLine(head);
    if (end < 0) {
      if (head.readableBytes() > MAX_RESPONSE_HEAD) {
        throw new ControlException("the upgrade response head is longer than 16 KiB");
      }
      return;
    }
    String text = head.toString(0, end, StandardCharsets.ISO_8859_1);
    head.readerIndex(end + 4);
    checkUpgrade(text);
    ByteBuf rest = head;
    head = null;
    ctx.pipeline().remove(this);
    if (rest.isReadable()) {
      ctx.fireChannelRead(rest);
    } else {
      rest.release();
    }
  }

  private static void checkUpgrade(String text) throws ControlException {
    String[] lines = text.split("\r\n");
    String status = lines[0];
    if (!status.startsWith("HTTP/1.1 101") && !status.startsWith("HTTP/1.0 101")) {
      throw new ControlException(
          "POST "
              + ControlProtocol.UPGRADE_PATH
              + " answered \""
              + status
              + "\", want 101 Switching Protocols (is this a Tailscale control server?)");
    }
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0
          && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("upgrade")) {
        String value = lines[i].substring(colon + 1).trim();
        if (value.equals(ControlProtocol.UPGRADE_PROTOCOL)) {
          return;
        }
        throw new ControlException("the server switched to unexpected protocol \"" + value + "\"");
      }
    }
    throw new ControlException("the 101 answer has no Upgrade header");
  }

  private static int indexOfBlankLine(ByteBuf buf) {
    for (int i = buf.readerIndex(); i + 3 < buf.writerIndex(); i++) {
      if (buf.getByte(i) == '\r'
          && buf.getByte(i + 1) == '\n'
          && buf.getByte(i + 2) == '\r'
          && buf.getByte(i + 3) == '\n') {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (head != null) {
      head.release();
      head = null;
    }
  }
}
