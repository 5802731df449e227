package io.peerrelay.relay.tailnet.control;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import io.peerrelay.relay.tailnet.noise.ControlHandshake;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One ts2021 connection to the control server: TCP (TLS for https), the HTTP upgrade, the Noise
 * handshake, then HTTP/2 with prior knowledge inside Noise, over which {@link ControlCalls} sends
 * the register and map requests. The connection is single-use: when it closes, the caller dials a
 * new one.
 */
public final class ControlConnection implements AutoCloseable {
  private static final int STREAM_WINDOW = 1 << 20;

  private final Channel channel;
  private final ControlUrl url;

  private ControlConnection(Channel channel, ControlUrl url) {
    this.channel = channel;
    this.url = url;
  }

  /**
   * Dials {@code url} and completes when HTTP/2 inside Noise is ready, or fails with a {@link
   * ControlException} (or the transport's exception) after at most {@code timeout}.
   */
  public static CompletableFuture<ControlConnection> connect(
      EventLoopGroup group,
      ControlUrl url,
      TailnetPrivateKey machineKey,
      TailnetKey controlKey,
      Duration timeout) {
    CompletableFuture<ControlConnection> ready = new CompletableFuture<>();
    ControlHandshake handshake;
    SslContext tls;
    try {
      handshake =
          ControlHandshake.start(machineKey, controlKey, ControlProtocol.CAPABILITY_VERSION);
      tls = url.tls() ? SslContextBuilder.forClient().build() : null;
    } catch (java.io.IOException e) {
      ready.completeExceptionally(e);
      return ready;
    }
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .handler(pipeline(url, tls, handshake, ready))
        .connect(url.host(), url.port())
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                watch(f.channel(), url, timeout, ready);
              } else {
                ready.completeExceptionally(
                    new ControlException(
                        "cannot connect to " + url.authority() + ": " + f.cause().getMessage(),
                        f.cause()));
              }
            });
    return ready;
  }

  private static ChannelInitializer<SocketChannel> pipeline(
      ControlUrl url,
      SslContext tls,
      ControlHandshake handshake,
      CompletableFuture<ControlConnection> ready) {
    return new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        if (tls != null) {
          ch.pipeline().addLast(tlsHandler(tls, ch, url));
        }
        ch.pipeline()
            .addLast(new Ts2021UpgradeHandler(url.authority(), handshake.initiation()))
            .addLast(
                "noise",
                new NoiseClientCodec(
                    handshake,
                    ctx -> {
                      startHttp2(ctx);
                      ready.complete(new ControlConnection(ctx.channel(), url));
                    }))
            .addLast("failures", new FailureCatcher(ready));
      }
    };
  }

  /** Fails {@code ready} when the session is not up in time or the channel closes first. */
  private static void watch(
      Channel ch, ControlUrl url, Duration timeout, CompletableFuture<ControlConnection> ready) {
    ch.eventLoop()
        .schedule(
            () -> {
              if (ready.completeExceptionally(
                  new ControlException(
                      "no ts2021 session with " + url.authority() + " after " + timeout))) {
                ch.close();
              }
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    ch.closeFuture()
        .addListener(
            c ->
                ready.completeExceptionally(
                    new ControlException(
                        url.authority() + " closed the connection during the handshake")));
  }

  private static SslHandler tlsHandler(SslContext tls, SocketChannel ch, ControlUrl url) {
    SslHandler handler = tls.newHandler(ch.alloc(), url.host(), url.port());
    SSLEngine engine = handler.engine();
    SSLParameters params = engine.getSSLParameters();
    // Netty leaves host name checking off; a control server is only trusted for its own name.
    params.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(params);
    return handler;
  }

  private static void startHttp2(ChannelHandlerContext noise) {
    Http2Settings settings = Http2Settings.defaultSettings().initialWindowSize(STREAM_WINDOW);
    noise
        .pipeline()
        .addAfter(noise.name(), "early-payload", new EarlyPayloadSkipper())
        .addAfter(
            "early-payload",
            "http2",
            Http2FrameCodecBuilder.forClient().initialSettings(settings).build())
        .addAfter(
            "http2", "streams", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
    noise.channel().flush();
  }

  /** The underlying channel, for {@link ControlCalls}. */
  Channel channel() {
    return channel;
  }

  /** The server this connection goes to. */
  public ControlUrl url() {
    return url;
  }

  /** True while the connection is usable. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /** Runs {@code action} once the connection has closed (at once if it already has). */
  public void onClose(Runnable action) {
    channel.closeFuture().addListener(f -> action.run());
  }

  @Override
  public void close() {
    channel.close();
  }

  /** Fails the connect future with the first error and closes the channel. */
  private static final class FailureCatcher extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<ControlConnection> ready;

    FailureCatcher(CompletableFuture<ControlConnection> ready) {
      this.ready = ready;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Throwable shown =
          cause instanceof io.netty.handler.codec.DecoderException && cause.getCause() != null
              ? cause.getCause()
              : cause;
      if (shown instanceof SSLException) {
        shown =
            new ControlException(
                "TLS with " + ctx.channel().remoteAddress() + " failed: " + shown.getMessage(),
                shown);
      }
      ready.completeExceptionally(shown);
      ctx.close();
    }
  }
}
