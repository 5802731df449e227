package io.peerrelay.relay.transport;

import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;
import io.netty.util.UncheckedBooleanSupplier;
import java.util.function.BooleanSupplier;

/**
 * The receive buffers of a recvmmsg socket: one fixed size (every slot holds the largest datagram),
 * and a read loop that stops as soon as one recvmmsg returns fewer datagrams than it had slots. The
 * socket's queue was empty at that moment; on a level-triggered epoll registration the next wait
 * reports the socket again when more has arrived, so the extra recvmmsg that Netty's datagram read
 * would make only to be told EAGAIN is saved: at paced loads, where a wake-up finds one or two
 * datagrams, that is one syscall in three or four. Only for level-triggered sockets: edge-triggered
 * epoll needs the read to EAGAIN.
 *
 * <p>A GRO socket switches between recvmmsg and recvmsg ({@link GroReadMode}): while it reads by
 * recvmsg the buffer is one slot and the read goes on as Netty's own does.
 */
final class BatchReadAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
  private final int bufferSize;
  private final int singleSize;
  private final BooleanSupplier batched;

  BatchReadAllocator(int bufferSize, int maxMessagesPerRead) {
    this(bufferSize, bufferSize, maxMessagesPerRead, () -> true);
  }

  /** Buffers of {@code bufferSize} while {@code batched}, else of {@code singleSize}. */
  BatchReadAllocator(
      int bufferSize, int singleSize, int maxMessagesPerRead, BooleanSupplier batched) {
    super(maxMessagesPerRead);
    this.bufferSize = bufferSize;
    this.singleSize = singleSize;
    this.batched = batched;
  }

  @Override
  public ExtendedHandle newHandle() {
    return new MaxMessageHandle() {
      @Override
      public int guess() {
        return batched.getAsBoolean() ? bufferSize : singleSize;
      }

      @Override
      public boolean continueReading(UncheckedBooleanSupplier maybeMoreDataSupplier) {
        // Netty's datagram read reports received datagrams x slot size as read and the slots x
        // slot size as attempted: equal only when every slot was filled.
        return super.continueReading(maybeMoreDataSupplier)
            && (lastBytesRead() == attemptedBytesRead() || !batched.getAsBoolean());
      }
    };
  }
}
