package io.peerrelay.relay.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.unix.SegmentedDatagramPacket;
import java.net.InetSocketAddress;

/**
 * A reusable outgoing datagram: Netty's {@code DatagramPacket} is immutable, so forwarding would
 * allocate one per packet. Netty's epoll write path reads a datagram only through {@link
 * #content()}, {@link #recipient()} and {@link #segmentSize()} and releases it once written (or
 * failed); this subclass answers those from mutable fields and goes back to its pool on release. A
 * segment size of 0 (or not below the content's length) sends one plain datagram; a smaller one
 * sends the content as one UDP GSO super-datagram of that segment size.
 */
final class OutPacket extends SegmentedDatagramPacket {
  private static final InetSocketAddress NOWHERE = new InetSocketAddress(0);

  /** Single-threaded free list: packets are taken and released on one event loop. */
  static final class Pool {
    private static final int KEEP = 4096;
    private final OutPacket[] free = new OutPacket[KEEP];
    private final Thread owner;
    private int size;

    Pool(Thread owner) {
      this.owner = owner;
    }

    OutPacket take(ByteBuf content, InetSocketAddress to, int segmentSize) {
      OutPacket p = size > 0 ? free[--size] : new OutPacket(this);
      free[size] = null;
      p.content = content;
      p.to = to;
      p.segment = segmentSize;
      p.refs = 1;
      return p;
    }

    private void give(OutPacket p) {
      // A release on another thread (never on the data path) just lets the packet go.
      if (size < KEEP && Thread.currentThread() == owner) {
        free[size++] = p;
      }
    }
  }

  private final Pool pool;
  private ByteBuf content;
  private InetSocketAddress to;
  private int segment;
  private int refs;

  private OutPacket(Pool pool) {
    super(Unpooled.EMPTY_BUFFER, 1, NOWHERE);
    this.pool = pool;
  }

  @Override
  public ByteBuf content() {
    return content;
  }

  @Override
  public InetSocketAddress recipient() {
    return to;
  }

  @Override
  public int segmentSize() {
    return segment;
  }

  @Override
  public int refCnt() {
    return content == null ? 0 : content.refCnt();
  }

  @Override
  public boolean release() {
    return release(1);
  }

  @Override
  public boolean release(int decrement) {
    ByteBuf c = content;
    if (c == null) {
      return false;
    }
    boolean freed = c.release(decrement);
    refs -= decrement;
    if (refs <= 0) {
      // The last holder let go: the packet can carry another datagram.
      content = null;
      to = null;
      pool.give(this);
    }
    return freed;
  }

  @Override
  public OutPacket retain() {
    return retain(1);
  }

  @Override
  public OutPacket retain(int increment) {
    content.retain(increment);
    refs += increment;
    return this;
  }

  /** Netty calls this only to copy a heap buffer; forwarded content is always direct. */
  @Override
  public SegmentedDatagramPacket replace(ByteBuf replacement) {
    InetSocketAddress recipient = to;
    int size = segment > 0 ? segment : Math.max(1, replacement.readableBytes());
    release();
    return new SegmentedDatagramPacket(replacement, size, recipient);
  }

  @Override
  public OutPacket touch() {
    return this;
  }

  @Override
  public OutPacket touch(Object hint) {
    return this;
  }

  @Override
  public String toString() {
    return "OutPacket(" + to + ", segment " + segment + ")";
  }
}
