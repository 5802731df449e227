package io.peerrelay.relay.core;

import static io.peerrelay.relay.core.RelayHarness.addr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The forwarding path must not allocate per packet (one allocation per packet at 100k packets/s is
 * a GC pause every few seconds).
 */
class ForwardingPathAllocationTest {
  @Test
  void forwardingAndDroppingAllocateNothingPerPacket() throws Exception {
    var mx = ManagementFactory.getThreadMXBean();
    assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
        "per-thread allocation counters are not available on this JVM");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    InetSocketAddress srcA = addr("127.0.0.1", 40001);
    InetSocketAddress srcB = addr("::1", 40002);
    InetSocketAddress stranger = addr("127.0.0.1", 40009);
    h.handshake(h.a(), vni, 1, srcA);
    h.handshake(h.b(), vni, 1, srcB);
    RelayServer relay = h.relay;
    ByteBuffer data = ByteBuffer.wrap(RelayServerTest.wireGuard(vni, new int[1200]));
    ByteBuffer unknown = ByteBuffer.wrap(RelayServerTest.wireGuard(vni + 5, 1, 2));
    Verdict v = new Verdict();
    Runnable burst =
        () -> {
          for (int i = 0; i < 200_000; i++) {
            relay.handle(data, (i & 1) == 0 ? srcA : srcB, false, v);
            relay.handle(unknown, srcA, false, v);
            relay.handle(data, stranger, false, v);
          }
        };
    burst.run();
    burst.run();
    long tid = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(tid);
    burst.run();
    long allocated = threads.getThreadAllocatedBytes(tid) - before;
    // 600,000 decisions; a single allocation each would be ≥ 9.6 MB.
    assertThat(allocated).isLessThan(64 * 1024);
    assertThat(v.kind()).isEqualTo(Verdict.Kind.DROP);
    assertThat(h.events.drops(DropReason.BAD_SOURCE)).isEqualTo(600_000);
  }
}
