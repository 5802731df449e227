package io.peerrelay.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * Collects consecutive forwarded datagrams that go to the same destination through the same socket
 * and writes them as one UDP GSO super-datagram (the kernel cuts it back into the same datagrams),
 * the way Tailscale's server writes a batch. Every datagram has been checked by the relay core on
 * its own before it is added, so a dropped one simply ends up in no batch.
 *
 * <p>Segments of a GRO super-datagram lie back to back in one receive buffer: such a batch is sent
 * as one slice of that buffer, without copying. Others (plain recvmmsg slots) are copied into one
 * pooled buffer. Order is kept: any datagram that does not fit ends the batch before it is sent.
 */
final class ForwardBatch {
  /** The kernel's UDP_MAX_SEGMENTS on older kernels (newer ones allow more). */
  static final int MAX_SEGMENTS = 64;

  /** Stays below the 65507-byte UDP payload limit of IPv4. */
  static final int MAX_BYTES = 65000;

  /**
   * Larger datagrams go out one by one: a GSO segment above the path MTU makes the kernel refuse
   * the whole send (EINVAL), where a plain datagram would be fragmented; 1452 fits IPv6 at 1500.
   */
  static final int MAX_SEGMENT = 1452;

  private final ByteBufAllocator alloc;
  private final OutPacket.Pool packets;
  private final Channel own;
  private boolean gso;
  private Channel channel;
  private InetSocketAddress to;
  private ByteBuf first;
  private ByteBuf root;
  private int rootIndex;
  private ByteBuf copy;
  private int segment;
  private int count;
  private int bytes;
  private boolean ended;
  private Channel pendingFlush;
  private long gsoSends;
  private long gsoSegments;

  ForwardBatch(Channel own, boolean gso) {
    this.own = own;
    this.alloc = own.alloc();
    this.gso = gso;
    this.packets = new OutPacket.Pool(Thread.currentThread());
  }

  /**
   * Queues {@code datagram} (not consumed: retained here as needed) for {@code dest} on {@code ch}.
   */
  void add(Channel ch, ByteBuf datagram, InetSocketAddress dest) {
    int len = datagram.readableBytes();
    if (count > 0 && !fits(ch, dest, len)) {
      flush();
    }
    if (count == 0) {
      channel = ch;
      to = dest;
      segment = len;
      first = datagram.retain();
      count = 1;
      bytes = len;
      return;
    }
    append(datagram, len);
    count++;
    bytes += len;
    // Only the last segment of a GSO send may be shorter.
    ended = len < segment;
  }

  private boolean fits(Channel ch, InetSocketAddress dest, int len) {
    return gso
        && !ended
        && ch == channel
        && (dest == to || dest.equals(to))
        && len > 0
        && len <= segment
        && segment <= MAX_SEGMENT
        && count < MAX_SEGMENTS
        && bytes + len <= MAX_BYTES;
  }

  private void append(ByteBuf datagram, int len) {
    if (first != null) {
      ByteBuf parent = first.unwrap();
      if (parent != null
          && adjacent(parent, first.readableBytes() + start(first, parent), datagram)) {
        root = parent.retain();
        rootIndex = start(first, parent);
        first.release();
        first = null;
        return;
      }
      copy = alloc.directBuffer(MAX_BYTES);
      copy.writeBytes(first, first.readerIndex(), first.readableBytes());
      first.release();
      first = null;
    } else if (root != null) {
      if (adjacent(root, rootIndex + bytes, datagram)) {
        return;
      }
      copy = alloc.directBuffer(MAX_BYTES);
      copy.writeBytes(root, rootIndex, bytes);
      root.release();
      root = null;
    }
    copy.writeBytes(datagram, datagram.readerIndex(), len);
  }

  /** Whether {@code datagram} starts at index {@code end} of {@code parent}. */
  private static boolean adjacent(ByteBuf parent, int end, ByteBuf datagram) {
    return datagram.unwrap() == parent
        && parent.hasMemoryAddress()
        && datagram.hasMemoryAddress()
        && start(datagram, parent) == end;
  }

  /** Index in {@code parent} of the first readable byte of {@code slice} (memory addresses). */
  private static int start(ByteBuf slice, ByteBuf parent) {
    if (!slice.hasMemoryAddress() || !parent.hasMemoryAddress()) {
      return -1;
    }
    return (int) (slice.memoryAddress() + slice.readerIndex() - parent.memoryAddress());
  }

  /** Writes the batch (not flushed: {@link #finish} flushes once per read). */
  void flush() {
    if (count == 0) {
      return;
    }
    ByteBuf content;
    if (first != null) {
      content = first;
    } else if (root != null) {
      content = root.retainedSlice(rootIndex, bytes);
      root.release();
    } else {
      content = copy;
    }
    if (count > 1) {
      gsoSends++;
      gsoSegments += count;
    }
    channel.write(packets.take(content, to, count > 1 ? segment : 0), channel.voidPromise());
    if (channel != own) {
      pendingFlush = channel;
    }
    first = root = copy = null;
    channel = null;
    to = null;
    count = bytes = segment = 0;
    ended = false;
  }

  /** End of a read batch: writes what is queued and flushes both sockets written to. */
  void finish() {
    flush();
    own.flush();
    if (pendingFlush != null) {
      pendingFlush.flush();
      pendingFlush = null;
    }
  }

  /** Drops what is queued (channel closing). */
  void discard() {
    for (ByteBuf b : new ByteBuf[] {first, root, copy}) {
      if (b != null) {
        b.release();
      }
    }
    first = root = copy = null;
    count = 0;
  }

  /** Stops batching (a GSO send failed: the kernel or device cannot do it). */
  void disableGso() {
    gso = false;
  }

  boolean gso() {
    return gso;
  }

  long gsoSends() {
    return gsoSends;
  }

  long gsoSegments() {
    return gsoSegments;
  }
}
