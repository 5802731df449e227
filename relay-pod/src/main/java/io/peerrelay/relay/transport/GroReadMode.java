package io.peerrelay.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.epoll.EpollChannelOption;

/**
 * How one GRO socket is read, switched by what arrives: recvmsg of one slot while only plain
 * datagrams come, recvmmsg of several slots while GRO super-datagrams come.
 *
 * <p>Netty's recvmmsg learns a super-datagram's segment size only from control messages, which it
 * asks for only with IP_RECVORIGDSTADDR on, and then it also decodes every datagram's destination
 * address into a new InetSocketAddress (about 100 bytes of garbage per datagram,
 * ForwardAllocationIT measures it). That is worth it when a read brings several super-datagrams of
 * tens of segments each (GSO senders: tailscaled and wireguard-go on Linux in bulk transfers), not
 * for plain datagrams, which most traffic is. So the socket starts in recvmsg mode; a read that
 * brings a super-datagram switches it to recvmmsg, and {@link #IDLE_READS} reads without one switch
 * it back.
 *
 * <p>A super-datagram is seen as a packet that starts where the previous one ended in the same
 * receive-buffer slot (the segments Netty slices from it); two datagrams never do, because each
 * starts a slot of its own. Confined to the channel's event loop.
 */
final class GroReadMode {
  /** Reads without a super-datagram before the socket goes back to recvmsg. */
  static final int IDLE_READS = 1024;

  private final int slotBytes;
  private boolean batched;
  private ByteBuf lastRoot;
  private long lastEnd = -1;
  private boolean superSeen;
  private int readsWithout;
  private long switches;

  GroReadMode(int slotBytes) {
    this.slotBytes = slotBytes;
  }

  /** Whether the socket is read by recvmmsg now (the read allocator's guess follows it). */
  boolean batched() {
    return batched;
  }

  /** Mode changes so far (tests, logs). */
  long switches() {
    return switches;
  }

  /**
   * One datagram (or segment) of the current read: {@code length} bytes at memory {@code address},
   * a slice of {@code parent}.
   *
   * <p>Offsets are taken from the innermost buffer: with Netty's leak detector on (a user debugging
   * with {@code -Dio.netty.leakDetection.level}), the receive buffer and each slice come wrapped,
   * and a wrapped slice's parent is another slice, a new object at offset 0 for every datagram.
   * Without the detector the parent is the innermost buffer already.
   */
  void observe(ByteBuf parent, long address, int length) {
    ByteBuf root = parent;
    for (ByteBuf inner = root.unwrap(); inner != null; inner = inner.unwrap()) {
      root = inner;
    }
    if (root != parent && !root.hasMemoryAddress()) {
      return;
    }
    long start = address - root.memoryAddress();
    if (root == lastRoot && start == lastEnd && start % slotBytes != 0) {
      superSeen = true;
    }
    lastRoot = root;
    lastEnd = start + length;
  }

  /** The end of a read loop: switches the socket's mode if the traffic asks for it. */
  void readComplete(ChannelConfig config) {
    lastRoot = null;
    lastEnd = -1;
    if (superSeen) {
      superSeen = false;
      readsWithout = 0;
      if (!batched) {
        set(config, true);
      }
    } else if (batched && ++readsWithout >= IDLE_READS) {
      set(config, false);
    }
  }

  private void set(ChannelConfig config, boolean on) {
    config.setOption(EpollChannelOption.IP_RECVORIGDSTADDR, on);
    // A payload size of 0 makes Netty's read one recvmsg of the whole (one-slot) buffer.
    config.setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, on ? slotBytes : 0);
    batched = on;
    readsWithout = 0;
    switches++;
  }
}
