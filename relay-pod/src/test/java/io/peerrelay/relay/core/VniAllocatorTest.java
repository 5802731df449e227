package io.peerrelay.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.protocol.Geneve;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** Tailscale's TestServer_getNextVNILocked over the whole 24-bit space (PROTOCOL.md §1). */
class VniAllocatorTest {
  @Test
  void allocatesEveryVniOnceThenReportsExhaustionAndReusesAFreedOne() {
    BitSet used = new BitSet(Geneve.MAX_VNI + 1);
    VniAllocator allocator = new VniAllocator(used::get);
    for (int expected = 1; expected <= Geneve.MAX_VNI; expected++) {
      int vni = allocator.allocate();
      if (vni != expected) {
        throw new AssertionError("expected VNI " + expected + ", got " + vni);
      }
      used.set(vni);
    }
    assertThat(allocator.cursor()).isEqualTo(1);
    assertThat(allocator.allocate()).isEqualTo(VniAllocator.EXHAUSTED);
    used.clear(1);
    assertThat(allocator.allocate()).isEqualTo(1);
  }

  @Test
  void skipsVnisInUseAndWrapsWithoutEverGivingZero() {
    BitSet used = new BitSet();
    used.set(2);
    VniAllocator allocator = new VniAllocator(used::get);
    assertThat(allocator.allocate()).isEqualTo(1);
    assertThat(allocator.allocate()).isEqualTo(3);
  }
}
