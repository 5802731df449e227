package io.peerrelay.relay.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultSelectStrategyFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import io.peerrelay.relay.core.RelayServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The relay's UDP port on Netty: native epoll with one SO_REUSEPORT socket per event loop and
 * family (the kernel spreads flows across them), NIO with one socket per family elsewhere.
 */
public final class RelayTransport implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RelayTransport.class.getName());

  /** Tailscale asks for 7 MiB socket buffers; the kernel caps them at rmem_max / wmem_max. */
  static final int SOCKET_BUFFER = 7 << 20;

  /** Room for the largest UDP payload, so no datagram is ever truncated. */
  static final int MAX_DATAGRAM = 65536;

  /**
   * Datagrams per recvmmsg call (epoll only); 1 reads with plain recvmsg. Batched reads are what
   * Tailscale's server uses; on the loaded 2-core dev VM the loopback bench has not yet shown a
   * stable difference either way (see relay-pod/bench/), so this is a knob.
   */
  static final int RECVMMSG_BATCH = Integer.getInteger("peerrelay.transport.recvmmsg", 8);

  /** UDP GRO on receive (epoll); {@code -Dpeerrelay.transport.gro=false} turns it off. */
  static final boolean GRO = !"false".equals(System.getProperty("peerrelay.transport.gro"));

  /**
   * How GRO sockets are read, {@code -Dpeerrelay.transport.gro-read}: {@code adaptive} (the
   * default: recvmsg, and recvmmsg while super-datagrams come, see {@link GroReadMode}) or {@code
   * recvmsg} (one datagram or super-datagram per call). Read at each start (tests switch it).
   */
  static final String GRO_READ_PROPERTY = "peerrelay.transport.gro-read";

  /** UDP GSO on send (epoll); {@code -Dpeerrelay.transport.gso=false} turns it off. */
  static final boolean GSO = !"false".equals(System.getProperty("peerrelay.transport.gso"));

  /** Datagrams read per wake-up before the batch is flushed. */
  static final int READ_BATCH = 64;

  /** Netty's property: the largest buffer its pooled allocator keeps in a thread's own cache. */
  static final String CACHED_CAPACITY_PROPERTY = "io.netty.allocator.maxCachedBufferCapacity";

  /**
   * Netty's property: whether it may open {@code java.nio}'s private constructor to make direct
   * buffers without the JDK's zeroing; it also needs {@code --add-opens
   * java.base/java.nio=ALL-UNNAMED}, which the image's JVM flags carry (Dockerfile).
   */
  static final String REFLECTION_PROPERTY = "io.netty.tryReflectionSetAccessible";

  /**
   * Netty's property: how many recycled objects a thread keeps in its own batch before it hands
   * them to the recycler's shared queue (and takes them back from it).
   */
  static final String RECYCLER_CHUNK_PROPERTY = "io.netty.recycler.chunkSize";

  /**
   * Our value for it: above the slices one read batch holds at once (8 GRO super-datagrams of up to
   * 64 segments), so they come from and go back to the event loop's own batch.
   */
  static final int RECYCLER_CHUNK = 1024;

  /** The largest receive buffer a read asks for: one recvmmsg batch of full-size slots. */
  static final int RECEIVE_BUFFER = MAX_DATAGRAM * Math.max(1, RECVMMSG_BATCH);

  static {
    // Netty's default keeps freed buffers of up to 32 KiB in the event loop's cache; a receive
    // buffer is larger (64 KiB for recvmsg, RECEIVE_BUFFER for recvmmsg), so every read took a run
    // of a shared chunk and gave it back under the arena's lock: about 5% of the relay's CPU at
    // 30k packets/s (perf, side-by-side.md part 6). Set before Netty's allocator is first used; a
    // value the user gave stands. The start-up log says what Netty took.
    defaultProperty(CACHED_CAPACITY_PROPERTY, Integer.toString(RECEIVE_BUFFER));
    // Without it Netty makes its 4 MiB pool chunks with ByteBuffer.allocateDirect, which writes
    // zeros over all of it: 3.6 MiB of the idle relay's RSS that no datagram had touched
    // (side-by-side.md part 7). Allowed unless the user said otherwise; the log says what took.
    defaultProperty(REFLECTION_PROPERTY, "true");
    // Netty's default batch is 32: a GRO read holds hundreds of segment slices at once, so most of
    // them went through the recycler's shared queue, about 3% of the relay's CPU with a GSO sender
    // (perf, side-by-side.md part 8). A value the user gave stands.
    defaultProperty(RECYCLER_CHUNK_PROPERTY, Integer.toString(RECYCLER_CHUNK));
  }

  /** Sets a system property Netty reads at its first use, unless the user set it. */
  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  // Linux <netinet/in.h>: Netty has no named option for IPV6_V6ONLY, so it is set by number.
  private static final IntegerUnixChannelOption IPV6_V6ONLY =
      new IntegerUnixChannelOption("IPV6_V6ONLY", 41, 26);

  private final EventLoopGroup group;
  private final List<Channel> v4 = new ArrayList<>();
  private final List<Channel> v6 = new ArrayList<>();
  private final boolean epoll;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean reusePortTook;
  private volatile boolean v6Only;
  private volatile boolean groTook;
  private final boolean groAdaptive =
      !"recvmsg".equals(System.getProperty(GRO_READ_PROPERTY, "adaptive"));
  private volatile boolean gsoOn;
  private final ControlLane control;

  private RelayTransport(EventLoopGroup group, boolean epoll, ControlLane control) {
    this.group = group;
    this.epoll = epoll;
    this.control = control;
  }

  /** Binds the relay port and starts forwarding; throws if no IPv4 socket can be bound. */
  public static RelayTransport start(RelayServer server, TransportOptions options) {
    disableLeakDetectionUnlessAsked();
    boolean epoll = Epoll.isAvailable() && !Boolean.getBoolean("peerrelay.transport.nio");
    int threads = epoll ? options.threads() : 1;
    int spinMicros = Integer.getInteger("peerrelay.transport.spin-us", 0);
    EventLoopGroup group =
        epoll
            ? new EpollEventLoopGroup(
                threads,
                spinMicros > 0
                    ? SpinSelectStrategy.factory(spinMicros)
                    : DefaultSelectStrategyFactory.INSTANCE)
            : new NioEventLoopGroup(threads);
    RelayTransport t = new RelayTransport(group, epoll, new ControlLane(server));
    // UDP_SEGMENT needs Linux 4.18 and a Netty native library built with it.
    t.gsoOn = epoll && GSO && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
    try {
      List<EventLoop> loops = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        loops.add(group.next());
      }
      t.bindFamily(
          server, false, InetAddress.getByName(options.bindV4()), options.udpPort(), loops);
      if (options.bindV6() != null) {
        try {
          t.bindFamily(
              server, true, InetAddress.getByName(options.bindV6()), options.udpPort(), loops);
        } catch (Exception e) {
          // Tailscale tolerates a failed udp6 bind too: IPv4 is the one that is required.
          LOG.warning("IPv6 relay socket not bound (" + e + "); serving IPv4 only");
        }
      }
      t.scheduleGarbageCollection(server);
      LOG.info(
          String.format(
              "relay UDP port open: %s, IPv4 port %d x%d, IPv6 port %d x%d, SO_REUSEPORT %s",
              epoll ? "epoll" : "nio",
              t.udpPortV4(),
              t.v4.size(),
              t.udpPortV6(),
              t.v6.size(),
              t.reusePortTook ? "took" : "not used"));
      if (epoll) {
        LOG.info(
            String.format(
                "relay reads: %s, sendmmsg per read batch; UDP GRO %s, UDP GSO %s; %s; %s, %s",
                t.readsDescription(),
                t.groTook ? "on" : GRO ? "off (the kernel refused UDP_GRO)" : "off (asked)",
                t.gsoOn ? "on" : GSO ? "off (not supported here)" : "off (asked)",
                spinMicros > 0
                    ? "epoll polled up to " + spinMicros + " us before sleeping"
                    : "no polling before epoll_wait",
                t.receiveBufferCaching(),
                poolChunkZeroing()));
      }
      return t;
    } catch (Exception e) {
      t.close();
      throw new IllegalStateException("cannot open the relay UDP port: " + e.getMessage(), e);
    }
  }

  private void bindFamily(
      RelayServer server, boolean isV6, InetAddress address, int port, List<EventLoop> loops)
      throws InterruptedException {
    List<Channel> mine = isV6 ? v6 : v4;
    int bound = port;
    for (int i = 0; i < loops.size(); i++) {
      Bootstrap b = bootstrap(server, isV6, i, loops.get(i));
      Channel ch = b.bind(address, bound).sync().channel();
      mine.add(ch);
      if (i == 0) {
        bound = ((InetSocketAddress) ch.localAddress()).getPort();
        if (!isV6) {
          groTook = groOn(ch);
        }
        logBuffers(ch, isV6);
        if (isV6 && epoll) {
          // A dual-stack socket would also take IPv4 on the port and hand the core v4-mapped
          // sources; read the option back so a kernel that ignored it is visible.
          v6Only = Integer.valueOf(1).equals(ch.config().getOption(IPV6_V6ONLY));
          if (!v6Only) {
            LOG.warning("IPV6_V6ONLY did not take on the relay's IPv6 socket");
          }
        }
      }
      boolean reuse =
          epoll && Boolean.TRUE.equals(ch.config().getOption(EpollChannelOption.SO_REUSEPORT));
      if (!isV6) {
        reusePortTook = reuse;
      }
      if (!reuse) {
        // Without SO_REUSEPORT a second bind on the port would fail: one socket serves all.
        break;
      }
    }
  }

  private String readsDescription() {
    if (!groTook) {
      return "recvmmsg x" + RECVMMSG_BATCH + " of 64 KiB";
    }
    return groAdaptive()
        ? "recvmsg of 64 KiB, recvmmsg x" + RECVMMSG_BATCH + " while GRO super-datagrams come"
        : "recvmsg of 64 KiB (GRO)";
  }

  /**
   * Whether a receive buffer freed on the calling event loop comes back from its own cache: the
   * second of two allocations must not reach an arena (Netty counts only arena allocations).
   */
  static boolean receiveBuffersCached() {
    PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    alloc.directBuffer(RECEIVE_BUFFER).release();
    long before = arenaAllocations(alloc);
    alloc.directBuffer(RECEIVE_BUFFER).release();
    return arenaAllocations(alloc) == before;
  }

  private static long arenaAllocations(PooledByteBufAllocator alloc) {
    long n = 0;
    for (PoolArenaMetric arena : alloc.metric().directArenas()) {
      n += arena.numNormalAllocations() + arena.numHugeAllocations();
    }
    return n;
  }

  /** The start-up log's words for {@link #receiveBuffersCached}, run on one of the event loops. */
  private String receiveBufferCaching() throws Exception {
    boolean cached =
        group.next().submit(RelayTransport::receiveBuffersCached).get(10, TimeUnit.SECONDS);
    return cached
        ? "receive buffers from the event loop's cache"
        : "receive buffers NOT cached per event loop (each read locks an allocator arena; Netty was"
            + " set up before the relay could raise -D"
            + CACHED_CAPACITY_PROPERTY
            + " to "
            + RECEIVE_BUFFER
            + ")";
  }

  /** The start-up log's words for how Netty makes its direct pool chunks. */
  private static String poolChunkZeroing() {
    return PlatformDependent.useDirectBufferNoCleaner()
        ? "pool chunks not zeroed"
        : "pool chunks zeroed by the JDK (--add-opens=java.base/java.nio=ALL-UNNAMED and -D"
            + REFLECTION_PROPERTY
            + "=true would save their untouched pages)";
  }

  /** Whether the kernel took UDP_GRO (Netty records an option only when setsockopt succeeded). */
  private boolean groOn(Channel ch) {
    return epoll && GRO && Boolean.TRUE.equals(ch.config().getOption(EpollChannelOption.UDP_GRO));
  }

  /**
   * The read setup of one socket, before it is bound (Netty keeps the read handle of a channel's
   * first read): GRO sockets switch between recvmsg and recvmmsg ({@link GroReadMode}) and need the
   * allocator's repair; others read with recvmmsg; with recvmmsg x1 or NIO, the bootstrap's reads.
   */
  private void configureReads(Channel ch, RelayDatagramHandler h) {
    if (!epoll || RECVMMSG_BATCH <= 1) {
      return;
    }
    if (groOn(ch)) {
      if (!groAdaptive) {
        return;
      }
      GroReadMode mode = new GroReadMode(MAX_DATAGRAM);
      ch.config()
          .setAllocator(new GroReceiveAllocator(PooledByteBufAllocator.DEFAULT, MAX_DATAGRAM));
      ch.config()
          .setRecvByteBufAllocator(
              new BatchReadAllocator(
                  MAX_DATAGRAM * RECVMMSG_BATCH, MAX_DATAGRAM, READ_BATCH, mode::batched));
      h.groReadMode(mode);
    } else {
      ch.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM);
      ch.config().setRecvByteBufAllocator(recvmmsgAllocator());
    }
  }

  /** recvmmsg: RECVMMSG_BATCH slots of a full 64 KiB each, so no datagram is ever truncated. */
  private static RecvByteBufAllocator recvmmsgAllocator() {
    return new BatchReadAllocator(MAX_DATAGRAM * RECVMMSG_BATCH, READ_BATCH);
  }

  /**
   * Netty's leak detector samples buffers and records stack traces (allocation on the data path); a
   * relay in production runs without it unless the user asked for a level.
   */
  private static void disableLeakDetectionUnlessAsked() {
    if (System.getProperty("io.netty.leakDetection.level") == null
        && System.getProperty("io.netty.leakDetectionLevel") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /** One socket's options and handler: epoll with GRO (or recvmmsg), or NIO. */
  private Bootstrap bootstrap(RelayServer server, boolean isV6, int index, EventLoop loop) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
            .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .option(
                ChannelOption.RCVBUF_ALLOCATOR,
                new FixedRecvByteBufAllocator(MAX_DATAGRAM).maxMessagesPerRead(READ_BATCH))
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    RelayDatagramHandler h =
                        new RelayDatagramHandler(
                            server,
                            isV6,
                            () -> partner(!isV6, index),
                            () -> !closed.get(),
                            control,
                            gsoOn);
                    configureReads(ch, h);
                    ch.pipeline().addLast(h);
                  }
                });
    InternetProtocolFamily family =
        isV6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
    if (epoll) {
      // Level-triggered, so a batched read may stop at a short recvmmsg (BatchReadAllocator).
      b.channelFactory(() -> new EpollDatagramChannel(family))
          .option(EpollChannelOption.SO_REUSEPORT, true)
          .option(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
      if (GRO) {
        // Each segment of a super-datagram must reach the core alone; Netty splits one by the GRO
        // segment size, read from the control message. Its recvmmsg reads that only with
        // IP_RECVORIGDSTADDR on, and then leaks a retained slice of the whole receive buffer for
        // every read that returns exactly one super-datagram, which GroReceiveAllocator releases
        // (GsoForwardingIT shows both). With gro-read=recvmsg, one recvmsg of 64 KiB per call.
        b.option(EpollChannelOption.UDP_GRO, true);
      }
      if (isV6) {
        b.option(IPV6_V6ONLY, 1);
      }
    } else {
      b.channelFactory(() -> new NioDatagramChannel(family));
    }
    return b;
  }

  private static void logBuffers(Channel ch, boolean isV6) {
    Integer rcv = ch.config().getOption(ChannelOption.SO_RCVBUF);
    Integer snd = ch.config().getOption(ChannelOption.SO_SNDBUF);
    LOG.info(
        String.format(
            "relay %s socket buffers: asked %d, kernel gave receive %d, send %d"
                + " (raise net.core.rmem_max / wmem_max for more)",
            isV6 ? "IPv6" : "IPv4", SOCKET_BUFFER, rcv, snd));
  }

  /** The other family's socket on the same event loop, or its first socket, or null. */
  private Channel partner(boolean wantV6, int index) {
    List<Channel> list = wantV6 ? v6 : v4;
    if (list.isEmpty()) {
      return null;
    }
    return list.get(Math.min(index, list.size() - 1));
  }

  private void scheduleGarbageCollection(RelayServer server) {
    EventLoop loop = group.next();
    long delay = server.settings().gcInterval().toNanos();
    loop.schedule(
        () -> {
          if (closed.get()) {
            return;
          }
          try {
            server.collectGarbage();
          } finally {
            // Re-read the interval each time: a live reload may have changed it.
            scheduleGarbageCollection(server);
          }
        },
        delay,
        TimeUnit.NANOSECONDS);
  }

  /** The bound IPv4 port. */
  public int udpPortV4() {
    return v4.isEmpty() ? -1 : ((InetSocketAddress) v4.get(0).localAddress()).getPort();
  }

  /** The bound IPv6 port, or -1 when IPv6 is not bound. */
  public int udpPortV6() {
    return v6.isEmpty() ? -1 : ((InetSocketAddress) v6.get(0).localAddress()).getPort();
  }

  /** Whether the sockets are open (readiness). */
  public boolean bound() {
    return !closed.get() && !v4.isEmpty() && v4.get(0).isActive();
  }

  /** Whether SO_REUSEPORT read back as set on the IPv4 socket (one socket per thread). */
  public boolean reusePortTook() {
    return reusePortTook;
  }

  /** Whether IPV6_V6ONLY read back as set on the IPv6 socket (epoll only). */
  public boolean v6OnlyTook() {
    return v6Only;
  }

  /** Sockets per family, IPv4 first (tests and logs). */
  public int[] socketCounts() {
    return new int[] {v4.size(), v6.size()};
  }

  /** Whether UDP GRO read back as set on the IPv4 socket (epoll only). */
  public boolean groTook() {
    return groTook;
  }

  /** Whether GRO sockets switch to recvmmsg for super-datagrams (else always recvmsg). */
  public boolean groAdaptive() {
    return groTook && groAdaptive && RECVMMSG_BATCH > 1;
  }

  /** GRO sockets reading by recvmmsg now (tests). */
  long groBatchedSockets() throws Exception {
    return sumOnEventLoops(ch -> groReadMode(ch) != null && groReadMode(ch).batched() ? 1L : 0L);
  }

  /** GRO read-mode switches so far, summed over the sockets (tests). */
  long groModeSwitches() throws Exception {
    return sumOnEventLoops(ch -> groReadMode(ch) == null ? 0L : groReadMode(ch).switches());
  }

  private static GroReadMode groReadMode(Channel ch) {
    return ch.pipeline().get(RelayDatagramHandler.class).groReadMode();
  }

  /** Slices dropped by Netty's GRO recvmmsg read and released here, summed over the sockets. */
  long groRepairs() throws Exception {
    return sumOnEventLoops(
        ch -> ch.config().getAllocator() instanceof GroReceiveAllocator a ? a.repairs() : 0L);
  }

  /** {@code f} of every socket, run on its event loop, summed (tests). */
  private long sumOnEventLoops(Function<Channel, Long> f) throws Exception {
    long sum = 0;
    for (List<Channel> list : List.of(v4, v6)) {
      for (Channel ch : list) {
        sum += ch.eventLoop().submit(() -> f.apply(ch)).get();
      }
    }
    return sum;
  }

  /** Whether forwarded datagrams to one destination go out as UDP GSO sends. */
  public boolean gsoOn() {
    return gsoOn;
  }

  /** The event-loop threads (tests measure their allocation). */
  List<Thread> eventLoopThreads() throws Exception {
    List<Thread> out = new ArrayList<>();
    for (Channel ch : v4) {
      out.add(ch.eventLoop().submit(Thread::currentThread).get());
    }
    return out;
  }

  /** The handlers' GSO sends and segments, summed over the sockets (tests). */
  long[] gsoCounts() throws Exception {
    long[] sum = new long[2];
    for (List<Channel> list : List.of(v4, v6)) {
      for (Channel ch : list) {
        RelayDatagramHandler h = ch.pipeline().get(RelayDatagramHandler.class);
        long[] c = ch.eventLoop().submit(h::gsoCounts).get();
        sum[0] += c[0];
        sum[1] += c[1];
      }
    }
    return sum;
  }

  /** Exceptions the handlers saw, summed over the sockets (tests). */
  long handlerExceptions() throws Exception {
    return sumOnEventLoops(ch -> ch.pipeline().get(RelayDatagramHandler.class).exceptions());
  }

  /** Whether the native epoll transport is in use. */
  public boolean nativeTransport() {
    return epoll;
  }

  /** Closes the sockets and event loops; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Channel ch : v4) {
      ch.close().awaitUninterruptibly();
    }
    for (Channel ch : v6) {
      ch.close().awaitUninterruptibly();
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    control.close();
  }
}
