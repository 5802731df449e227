package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelConfig;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.UncheckedBooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What counts as a super-datagram, and when the mode switches (receive buffers of the test's). */
class GroReadModeTest {
  private static final int SLOT = 65536;
  // Never wrapped by Netty's leak detector, which samples buffers of a default allocator at random.
  private final ByteBuf root = new UnpooledByteBufAllocator(true, true).directBuffer(SLOT * 8);
  private final ChannelConfig config = new EmbeddedChannel().config();
  private final GroReadMode mode = new GroReadMode(SLOT);

  /** What the handler does with each datagram of a read. */
  private void observe(ByteBuf datagram) {
    RelayDatagramHandler.view(datagram, mode);
  }

  @AfterEach
  void release() {
    root.release();
  }

  @Test
  void segmentsOfOneSuperDatagramSwitchToRecvmmsg() {
    observe(root.slice(0, 520));
    observe(root.slice(520, 520));
    mode.readComplete(config);
    assertThat(mode.batched()).isTrue();
    assertThat(mode.switches()).isEqualTo(1);
  }

  @Test
  void segmentsAreSeenWhenTheLeakDetectorWrapsTheBuffers() {
    ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    ByteBuf tracked = new UnpooledByteBufAllocator(true).directBuffer(SLOT * 8);
    try {
      assertThat(tracked.unwrap()).as("wrapped by the leak detector").isNotNull();
      observe(tracked.slice(0, 520));
      observe(tracked.slice(520, 520));
      mode.readComplete(config);
      assertThat(mode.batched()).isTrue();
    } finally {
      tracked.release();
      ResourceLeakDetector.setLevel(before);
    }
  }

  @Test
  void datagramsInSlotsOfTheirOwnAreNotSegments() {
    observe(root.slice(0, 520));
    observe(root.slice(SLOT, 520));
    observe(root.slice(2 * SLOT, 100));
    mode.readComplete(config);
    assertThat(mode.batched()).isFalse();
  }

  @Test
  void aRecycledBufferHoldingANewDatagramIsNotASegment() {
    // recvmsg mode: each read's buffer is one slot; a pooled buffer object may come back for the
    // next datagram of the same read loop, which then starts at 0 again, not where the last ended.
    observe(root.slice(0, 520));
    observe(root.slice(0, 300));
    mode.readComplete(config);
    assertThat(mode.batched()).isFalse();
  }

  @Test
  void idleReadsSwitchBack() {
    observe(root.slice(0, 520));
    observe(root.slice(520, 520));
    mode.readComplete(config);
    for (int i = 0; i < GroReadMode.IDLE_READS - 1; i++) {
      observe(root.slice(0, 100));
      mode.readComplete(config);
    }
    assertThat(mode.batched()).as("one read short").isTrue();
    observe(root.slice(0, 100));
    mode.readComplete(config);
    assertThat(mode.batched()).isFalse();
    assertThat(mode.switches()).isEqualTo(2);
  }

  @Test
  void theReadAllocatorFollowsTheMode() {
    observe(root.slice(0, 520));
    observe(root.slice(520, 520));
    RecvByteBufAllocator.ExtendedHandle h =
        new BatchReadAllocator(SLOT * 8, SLOT, 64, mode::batched).newHandle();
    h.reset(config);
    assertThat(h.guess()).as("recvmsg: one slot").isEqualTo(SLOT);
    // recvmsg reports the datagram's bytes against the whole buffer; the read goes on.
    h.attemptedBytesRead(SLOT);
    h.lastBytesRead(520);
    h.incMessagesRead(1);
    assertThat(h.continueReading(UncheckedBooleanSupplier.TRUE_SUPPLIER)).isTrue();
    mode.readComplete(config);
    assertThat(h.guess()).as("recvmmsg: all slots").isEqualTo(SLOT * 8);
  }
}
