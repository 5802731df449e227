package io.peerrelay.relay.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The relay's HTTP side port (health, readiness, metrics, sessions) on the port the config file
 * names.
 *
 * <p>A tiny Netty server instead of Quarkus' HTTP layer: the port comes from our own config file
 * (not from Quarkus configuration), and the {@code keygen}, {@code sessions} and {@code ping}
 * commands of the same binary must not open any port. One NIO thread is plenty for probes and
 * scrapes, and keeps the side port off the UDP event loops.
 */
public final class SidePortServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 16 * 1024;

  private final EventLoopGroup group;
  private final Channel channel;

  private SidePortServer(EventLoopGroup group, Channel channel) {
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds {@code port} on every address (IPv4 and IPv6) and starts answering.
   *
   * @throws InterruptedException if interrupted while binding
   * @throws io.netty.channel.ChannelException (or another exception) if the port cannot be bound
   */
  public static SidePortServer start(int port, SidePortRoutes routes) throws InterruptedException {
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("side-port", true));
    try {
      Channel channel =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast(new SidePortHandler(routes));
                    }
                  })
              .bind(new InetSocketAddress(port))
              .sync()
              .channel();
      return new SidePortServer(group, channel);
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** The bound TCP port. */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** Stops listening and ends the thread; waits at most a second. Idempotent. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
