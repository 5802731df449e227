package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.UncheckedBooleanSupplier;
import org.junit.jupiter.api.Test;

class BatchReadAllocatorTest {
  private static final int SLOT = 65536;
  private static final int SLOTS = 8;

  private static RecvByteBufAllocator.ExtendedHandle handle() {
    RecvByteBufAllocator.ExtendedHandle h = new BatchReadAllocator(SLOT * SLOTS, 64).newHandle();
    h.reset(new EmbeddedChannel().config());
    return h;
  }

  /** What Netty's scattering read reports for one recvmmsg that returned {@code received}. */
  private static void recvmmsg(RecvByteBufAllocator.ExtendedHandle h, int received) {
    h.attemptedBytesRead(SLOT * SLOTS);
    h.lastBytesRead(Math.max(1, received * SLOT));
    h.incMessagesRead(received);
  }

  @Test
  void everyReadUsesTheWholeFixedBuffer() {
    assertThat(handle().guess()).isEqualTo(SLOT * SLOTS);
  }

  @Test
  void aFullBatchReadsAgain() {
    RecvByteBufAllocator.ExtendedHandle h = handle();
    recvmmsg(h, SLOTS);
    assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isTrue();
  }

  @Test
  void aShortBatchStopsTheReadWithoutAnotherSyscall() {
    RecvByteBufAllocator.ExtendedHandle h = handle();
    recvmmsg(h, SLOTS);
    recvmmsg(h, 3);
    assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isFalse();
  }

  @Test
  void theMessageCapStillHolds() {
    RecvByteBufAllocator.ExtendedHandle h = new BatchReadAllocator(SLOT * SLOTS, 2).newHandle();
    h.reset(new EmbeddedChannel().config());
    recvmmsg(h, SLOTS);
    assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isFalse();
  }
}
