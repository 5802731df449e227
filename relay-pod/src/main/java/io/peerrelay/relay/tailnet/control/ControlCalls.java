package io.peerrelay.relay.tailnet.control;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** HTTP/2 requests over a {@link ControlConnection}: one POST per stream. */
public final class ControlCalls {
  /** The most a register answer may be; Tailscale's client reads at most 1 MiB too. */
  public static final int MAX_RESPONSE = 1 << 20;

  /** What a stream reports, on the connection's event loop. */
  public interface StreamListener {
    /** The response status arrived. */
    void onStatus(int status);

    /** A chunk of the response body arrived. */
    void onData(byte[] chunk) throws Exception;

    /** The stream ended: {@code error} is null for a clean end of the body. */
    void onEnd(Throwable error);
  }

  /**
   * A whole response.
   *
   * @param status the HTTP status
   * @param body the body
   */
  public record Response(int status, byte[] body) {}

  private ControlCalls() {}

  /**
   * POSTs {@code json} to {@code path} and streams the answer to {@code listener}; the returned
   * future completes with the stream, so the caller can cancel it by closing it.
   */
  public static CompletableFuture<Http2StreamChannel> post(
      ControlConnection connection,
      String path,
      byte[] json,
      List<TailnetKey> lbKeys,
      StreamListener listener) {
    CompletableFuture<Http2StreamChannel> opened = new CompletableFuture<>();
    new Http2StreamChannelBootstrap(connection.channel())
        .handler(new StreamHandler(listener))
        .open()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                listener.onEnd(f.cause());
                opened.completeExceptionally(f.cause());
                return;
              }
              Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
              Http2Headers headers =
                  new DefaultHttp2Headers()
                      .method("POST")
                      .path(path)
                      .scheme("https")
                      .authority(connection.url().authority());
              headers.add("content-type", "application/json");
              lbKeys.forEach(
                  k -> headers.add(ControlProtocol.LB_HEADER.toLowerCase(), k.toString()));
              stream.write(new DefaultHttp2HeadersFrame(headers, false));
              stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(json), true));
              opened.complete(stream);
            });
    return opened;
  }

  /** POSTs {@code json} and collects the whole answer (at most {@link #MAX_RESPONSE} bytes). */
  public static CompletableFuture<Response> request(
      ControlConnection connection, String path, byte[] json, List<TailnetKey> lbKeys) {
    CompletableFuture<Response> done = new CompletableFuture<>();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int[] status = {0};
    post(
        connection,
        path,
        json,
        lbKeys,
        new StreamListener() {
          @Override
          public void onStatus(int s) {
            status[0] = s;
          }

          @Override
          public void onData(byte[] chunk) throws ControlException {
            if (body.size() + chunk.length > MAX_RESPONSE) {
              throw new ControlException(path + " answered more than " + MAX_RESPONSE + " bytes");
            }
            body.writeBytes(chunk);
          }

          @Override
          public void onEnd(Throwable error) {
            if (error != null) {
              done.completeExceptionally(error);
            } else {
              done.complete(new Response(status[0], body.toByteArray()));
            }
          }
        });
    return done;
  }

  /** Feeds one stream's frames to a listener and reports its end exactly once. */
  private static final class StreamHandler extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final StreamListener listener;
    private boolean ended;

    StreamHandler(StreamListener listener) {
      this.listener = listener;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame)
        throws Exception {
      boolean endStream = false;
      if (frame instanceof Http2HeadersFrame headers) {
        CharSequence status = headers.headers().status();
        if (status != null) {
          listener.onStatus(Integer.parseInt(status.toString()));
        }
        endStream = headers.isEndStream();
      } else if (frame instanceof Http2DataFrame data) {
        if (data.content().isReadable()) {
          listener.onData(ByteBufUtil.getBytes(data.content()));
        }
        endStream = data.isEndStream();
      }
      if (endStream) {
        end(null);
        ctx.close();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      end(cause);
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end(new ControlException("the control server ended the stream before its end"));
    }

    private void end(Throwable error) {
      if (!ended) {
        ended = true;
        listener.onEnd(error);
      }
    }
  }
}
