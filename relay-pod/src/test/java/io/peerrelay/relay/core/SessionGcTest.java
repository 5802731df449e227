package io.peerrelay.relay.core;

import static io.peerrelay.relay.core.RelayHarness.addr;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tailscale's TestServer_endpointGC table (bind 30 s, steady state 5 min), plus our knobs. */
class SessionGcTest {
  private static final InetSocketAddress SRC_A = addr("127.0.0.1", 40001);
  private static final InetSocketAddress SRC_B = addr("127.0.0.1", 40002);

  enum Setup {
    UNBOUND_OLD,
    UNBOUND_NEW,
    HALF_BOUND_OLD,
    BOUND_A_SILENT,
    BOUND_B_SILENT,
    BOUND_BOTH_FRESH
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(Setup.UNBOUND_OLD, true),
        Arguments.of(Setup.UNBOUND_NEW, false),
        Arguments.of(Setup.HALF_BOUND_OLD, true),
        Arguments.of(Setup.BOUND_A_SILENT, true),
        Arguments.of(Setup.BOUND_B_SILENT, true),
        Arguments.of(Setup.BOUND_BOTH_FRESH, false));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void collectsExactlyTheExpiredSessions(Setup setup, boolean removed) throws Exception {
    RelayHarness h = new RelayHarness();
    int vni = h.allocate().vni();
    switch (setup) {
      case UNBOUND_OLD -> h.clock.advance(Duration.ofSeconds(60));
      case UNBOUND_NEW -> {}
      case HALF_BOUND_OLD -> {
        h.handshake(h.a(), vni, 1, SRC_A);
        h.clock.advance(Duration.ofSeconds(31));
      }
      case BOUND_A_SILENT, BOUND_B_SILENT, BOUND_BOTH_FRESH -> {
        h.handshake(h.a(), vni, 1, SRC_A);
        h.handshake(h.b(), vni, 1, SRC_B);
        // Allocation is long ago; only last-seen times matter once both legs are bound.
        h.clock.advance(Duration.ofMinutes(10));
        if (setup != Setup.BOUND_A_SILENT) {
          h.send(RelayServerTest.wireGuard(vni, 1), SRC_A);
        }
        if (setup != Setup.BOUND_B_SILENT) {
          h.send(RelayServerTest.wireGuard(vni, 1), SRC_B);
        }
      }
    }
    assertThat(h.relay.collectGarbage()).isEqualTo(removed ? 1 : 0);
    assertThat(h.relay.sessionCount()).isEqualTo(removed ? 0 : 1);
    if (removed) {
      assertThat(h.send(RelayServerTest.wireGuard(vni, 1), SRC_A).reason())
          .isEqualTo(DropReason.UNKNOWN_VNI);
      // A new allocation for the same pair gets a new VNI and a higher Lamport ID.
      var again = h.allocate();
      assertThat(again.vni()).isNotEqualTo(vni);
      assertThat(again.lamportId()).isEqualTo(2);
    }
  }

  @org.junit.jupiter.api.Test
  void shortConfiguredLifetimesApply() throws Exception {
    RelayHarness h =
        new RelayHarness(
            io.peerrelay.relay.core.RelaySettings.defaults()
                .withAdvertisedEndpoints(List.of(RelayHarness.RELAY_V4))
                .withLifetimes(
                    Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofMillis(100)));
    h.allocate();
    h.clock.advance(Duration.ofMillis(199));
    assertThat(h.relay.collectGarbage()).isZero();
    h.clock.advance(Duration.ofMillis(2));
    assertThat(h.relay.collectGarbage()).isEqualTo(1);
  }

  @org.junit.jupiter.api.Test
  void tableMemoryFollowsLiveSessionsNotTheVniRange() throws Exception {
    RelayHarness h = new RelayHarness();
    var a = h.keyA.publicKey();
    for (int i = 0; i < 10_000; i++) {
      h.relay.allocate(a, io.peerrelay.relay.protocol.DiscoPrivateKey.generate().publicKey());
    }
    assertThat(h.relay.tablePages()).isEqualTo(3);
    h.clock.advance(Duration.ofMinutes(1));
    assertThat(h.relay.collectGarbage()).isEqualTo(10_000);
    assertThat(h.relay.tablePages()).isZero();
    assertThat(h.events.gauge(io.peerrelay.relay.core.SessionState.CONNECTING)).isZero();
  }
}
