package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        // name, replicas, stale, ready, update, hold
        Arguments.of("nothing changed", 3, Set.of(), Set.of(0, 1, 2), Set.of(), Set.of()),
        Arguments.of(
            "all ready: lowest stale first",
            3,
            Set.of(0, 1, 2),
            Set.of(0, 1, 2),
            Set.of(0),
            Set.of(1, 2)),
        Arguments.of(
            "replica 0 rolled and not ready yet: hold the rest",
            3,
            Set.of(1, 2),
            Set.of(1, 2),
            Set.of(),
            Set.of(1, 2)),
        Arguments.of(
            "0 ready again: next is 1", 3, Set.of(1, 2), Set.of(0, 1, 2), Set.of(1), Set.of(2)),
        Arguments.of(
            "a not-ready stale replica is updated at once",
            3,
            Set.of(0, 2),
            Set.of(0, 1),
            Set.of(2),
            Set.of(0)),
        Arguments.of(
            "no pod ready (bad image): all updated, nothing to lose",
            2,
            Set.of(0, 1),
            Set.of(),
            Set.of(0, 1),
            Set.of()),
        Arguments.of("single replica", 1, Set.of(0), Set.of(0), Set.of(0), Set.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updatesAtMostOneReadyReplica(
      String name,
      int replicas,
      Set<Integer> stale,
      Set<Integer> ready,
      Set<Integer> update,
      Set<Integer> hold) {
    Rollout r = Rollout.decide(replicas, stale, ready);
    assertThat(r.update()).isEqualTo(update);
    assertThat(r.hold()).isEqualTo(hold);
  }
}
