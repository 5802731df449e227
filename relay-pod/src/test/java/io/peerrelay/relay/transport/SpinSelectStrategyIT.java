package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real epoll event loop with the polling strategy: datagrams, timers and tasks from other threads
 * still run, whether the loop is polling or asleep (loopback sockets only).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SpinSelectStrategyIT {
  private EpollEventLoopGroup group;
  private Channel echo;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll");
    group = new EpollEventLoopGroup(1, SpinSelectStrategy.factory(50));
    echo =
        new Bootstrap()
            .group(group)
            .channel(EpollDatagramChannel.class)
            .handler(
                new SimpleChannelInboundHandler<DatagramPacket>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                    ctx.writeAndFlush(new DatagramPacket(p.content().retain(), p.sender()));
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
  }

  @AfterEach
  void stop() throws Exception {
    // Bounded: a loop that never leaves its poll must fail the test, not hang the build.
    if (echo != null) {
      echo.close().await(10, TimeUnit.SECONDS);
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPingPongGetsEveryReplyAndIdleTimersAndTasksStillRun() throws Exception {
    InetSocketAddress to = (InetSocketAddress) echo.localAddress();
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(2000);
      byte[] ping = new byte[64];
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[128], 128);
      for (int i = 0; i < 5000; i++) {
        ping[0] = (byte) i;
        client.send(new java.net.DatagramPacket(ping, ping.length, to));
        client.receive(reply);
        assertThat(reply.getLength()).isEqualTo(64);
        assertThat(reply.getData()[0]).as("round %d", i).isEqualTo((byte) i);
        if (i % 1000 == 999) {
          Thread.sleep(5); // a long gap: the window shrinks and the loop sleeps again
        }
      }
    }
    // Asleep now: a timer and a task from another thread must still wake it.
    CountDownLatch timer = new CountDownLatch(1);
    long t0 = System.nanoTime();
    echo.eventLoop().schedule(timer::countDown, 20, TimeUnit.MILLISECONDS);
    assertThat(timer.await(2, TimeUnit.SECONDS)).as("a 20 ms timer ran").isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(19);
    CountDownLatch task = new CountDownLatch(1);
    Thread.sleep(50);
    echo.eventLoop().execute(task::countDown);
    assertThat(task.await(2, TimeUnit.SECONDS)).as("a task from another thread ran").isTrue();
  }

  @Test
  void anIdleLoopSleepsInsteadOfPolling() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long id = echo.eventLoop().submit(() -> Thread.currentThread().getId()).get();
    // Short gaps first, so that the window has grown when the traffic stops.
    try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      client.setSoTimeout(2000);
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[128], 128);
      for (int i = 0; i < 2000; i++) {
        client.send(new java.net.DatagramPacket(new byte[64], 64, echo.localAddress()));
        client.receive(reply);
      }
    }
    long cpu0 = threads.getThreadCpuTime(id);
    Thread.sleep(500);
    long idleCpuMillis = TimeUnit.NANOSECONDS.toMillis(threads.getThreadCpuTime(id) - cpu0);
    // A loop that kept polling would use about the whole 500 ms.
    assertThat(idleCpuMillis).as("event loop CPU over 500 ms idle").isLessThan(100);
  }
}
