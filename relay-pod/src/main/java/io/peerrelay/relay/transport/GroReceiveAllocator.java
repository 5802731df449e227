package io.peerrelay.relay.transport;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DuplicatedByteBuf;

/**
 * The allocator of a GRO socket read by recvmmsg. It hands Netty's read receive buffers that
 * release a slice Netty drops.
 *
 * <p>Netty's recvmmsg read (4.1.133 and 4.2.18, EpollDatagramChannel.scatteringRead), when one call
 * returns exactly one datagram and that datagram is a GRO super-datagram, makes the packet for it
 * twice: its single-datagram fast path takes a retained slice of the receive buffer, sees that the
 * packet is segmented, drops it without releasing it and goes on to the general path, which slices
 * the same bytes again. The dropped slice keeps the whole receive buffer (the recvmmsg batch, 512
 * KiB here) out of the pool for good. The receive buffer here sees both slices: a second retained
 * slice at the same index, with no read in between, means the first one was dropped, and it is
 * released then. Nothing else slices a receive buffer twice at one index, so a Netty without the
 * bug never triggers the release (GsoForwardingIT checks both: the pool does not grow, and no
 * buffer is released twice).
 *
 * <p>Only direct buffers of more than one slot (the read's, which Netty's epoll handle asks for
 * with {@code directBuffer(int)}) are wrapped, one small wrapper per recvmmsg; every other buffer,
 * such as the copy of a reply to send, is the delegate's. Used on one channel's event loop only.
 */
final class GroReceiveAllocator extends AbstractByteBufAllocator {
  private final ByteBufAllocator delegate;
  private final int slotBytes;
  private long repairs;

  /** Receive buffers are those larger than {@code slotBytes}, one recvmmsg slot. */
  GroReceiveAllocator(ByteBufAllocator delegate, int slotBytes) {
    super(true);
    this.delegate = delegate;
    this.slotBytes = slotBytes;
  }

  /** Dropped slices released so far (tests, logs). */
  long repairs() {
    return repairs;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf buf = delegate.directBuffer(initialCapacity, maxCapacity);
    return initialCapacity > slotBytes ? new ReceiveBuffer(buf) : buf;
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return delegate.heapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return delegate.isDirectBufferPooled();
  }

  /**
   * A receive buffer that remembers its last retained slice: a view of the pooled buffer with its
   * own indices (Netty's public wrapper for that is deprecated, though not going anywhere in 4.x).
   * Slices are the pooled buffer's own, recycled as before.
   */
  @SuppressWarnings("deprecation")
  private final class ReceiveBuffer extends DuplicatedByteBuf {
    private ByteBuf lastSlice;
    private int lastIndex = -1;

    ReceiveBuffer(ByteBuf buf) {
      super(buf);
    }

    @Override
    public ByteBuf retainedSlice(int index, int length) {
      ByteBuf slice = unwrap().retainedSlice(index, length);
      if (lastSlice != null && index == lastIndex) {
        // The same datagram sliced again: the first slice was made and dropped by the read.
        lastSlice.release();
        repairs++;
      }
      lastSlice = slice;
      lastIndex = index;
      return slice;
    }
  }
}
