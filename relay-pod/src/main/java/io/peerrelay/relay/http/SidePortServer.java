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
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

  /** Connections open at once; more are closed at accept (probes and scrapes need a handful). */
  static final int MAX_CONNECTIONS = 64;

  /** A connection that sends nothing for this long is closed (slow-loris readers). */
  static final int IDLE_SECONDS = 10;

  private final EventLoopGroup group;
  private final List<Channel> channels;

  private SidePortServer(EventLoopGroup group, List<Channel> channels) {
    this.group = group;
    this.channels = channels;
  }

  /** Binds {@code port} on every address (IPv4 and IPv6) and starts answering. */
  public static SidePortServer start(int port, SidePortRoutes routes) throws InterruptedException {
    return start(List.of(), port, routes);
  }

  /**
   * Binds {@code port} on each of {@code addresses} (every address when the list is empty) and
   * starts answering.
   *
   * @throws InterruptedException if interrupted while binding
   * @throws io.netty.channel.ChannelException (or another exception) if the port cannot be bound
   */
  public static SidePortServer start(List<InetAddress> addresses, int port, SidePortRoutes routes)
      throws InterruptedException {
    EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("side-port", true));
    AtomicInteger open = new AtomicInteger();
    List<Channel> bound = new ArrayList<>();
    try {
      ServerBootstrap b =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (open.incrementAndGet() > MAX_CONNECTIONS) {
                        open.decrementAndGet();
                        ch.close();
                        return;
                      }
                      ch.closeFuture().addListener(f -> open.decrementAndGet());
                      ch.pipeline()
                          .addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                          .addLast(new SidePortHandler(routes));
                    }
                  });
      if (addresses.isEmpty()) {
        bound.add(b.bind(new InetSocketAddress(port)).sync().channel());
      }
      for (InetAddress a : addresses) {
        bound.add(b.bind(new InetSocketAddress(a, port)).sync().channel());
      }
      return new SidePortServer(group, List.copyOf(bound));
    } catch (RuntimeException | InterruptedException e) {
      bound.forEach(Channel::close);
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * Where the side port listens for the relay's {@code --bind-v4} / {@code --bind-v6}: every
   * address only when both are wildcards (as the UDP port), else the IPv4 address given plus the
   * IPv6 one when it names a single address. A specific IPv4 address with a wildcard IPv6 gets no
   * IPv6 listener: a dual-stack {@code ::} socket would take every IPv4 address of the host too.
   *
   * @param bindV4 an IPv4 literal
   * @param bindV6 an IPv6 literal, or null when IPv6 is off
   */
  public static List<InetAddress> addressesFor(String bindV4, String bindV6) {
    InetAddress v4 = literal(bindV4);
    InetAddress v6 = bindV6 == null ? null : literal(bindV6);
    boolean all6 = v6 == null || v6.isAnyLocalAddress();
    if (v4.isAnyLocalAddress() && all6) {
      return List.of();
    }
    return all6 ? List.of(v4) : List.of(v4, v6);
  }

  private static InetAddress literal(String ip) {
    try {
      // Only literals reach here (the serve options are checked), so nothing is ever resolved.
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }

  /** The bound TCP port. */
  public int port() {
    return ((InetSocketAddress) channels.get(0).localAddress()).getPort();
  }

  /** Stops listening and ends the thread; waits at most a second. Idempotent. */
  @Override
  public void close() {
    for (Channel c : channels) {
      c.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
  }
}
