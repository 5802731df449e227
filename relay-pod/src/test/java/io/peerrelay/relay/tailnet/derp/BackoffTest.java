package io.peerrelay.relay.tailnet.derp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCeilingWithJitterAndResets() {
    Backoff low = new Backoff(() -> 0.0);
    Backoff high = new Backoff(() -> 0.999999);
    long[] lows = new long[10];
    long[] highs = new long[10];
    for (int i = 0; i < 10; i++) {
      lows[i] = low.next();
      highs[i] = high.next();
    }
    assertThat(lows).startsWith(125, 250, 500, 1000);
    assertThat(highs[0]).isBetween(240L, 250L);
    assertThat(lows[9]).isEqualTo(Backoff.MAX_MS / 2);
    assertThat(highs[9]).isLessThanOrEqualTo(Backoff.MAX_MS);
    low.reset();
    assertThat(low.next()).isEqualTo(125);
  }
}
