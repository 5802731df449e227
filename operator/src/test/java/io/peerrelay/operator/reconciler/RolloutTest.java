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
        // name, replicas, stale, ready, update, hold, the replica status names as rolling
        Arguments.of("nothing changed", 3, Set.of(), Set.of(0, 1, 2), Set.of(), Set.of(), null),
        Arguments.of(
            "all ready: lowest stale first",
            3,
            Set.of(0, 1, 2),
            Set.of(0, 1, 2),
            Set.of(0),
            Set.of(1, 2),
            0),
        Arguments.of(
            // The held replicas 1 and 2 wait for replica 0, which has the new template already:
            // 0 is the one rolling, not the first held one.
            "replica 0 rolled and not ready yet: hold the rest",
            3,
            Set.of(1, 2),
            Set.of(1, 2),
            Set.of(),
            Set.of(1, 2),
            0),
        Arguments.of(
            "0 ready again: next is 1", 3, Set.of(1, 2), Set.of(0, 1, 2), Set.of(1), Set.of(2), 1),
        Arguments.of(
            "a not-ready stale replica is updated at once",
            3,
            Set.of(0, 2),
            Set.of(0, 1),
            Set.of(2),
            Set.of(0),
            2),
        Arguments.of(
            "no pod ready (bad image): all updated, nothing to lose",
            2,
            Set.of(0, 1),
            Set.of(),
            Set.of(0, 1),
            Set.of(),
            0),
        Arguments.of("single replica", 1, Set.of(0), Set.of(0), Set.of(0), Set.of(), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void updatesAtMostOneReadyReplica(
      String name,
      int replicas,
      Set<Integer> stale,
      Set<Integer> ready,
      Set<Integer> update,
      Set<Integer> hold,
      Integer rolling) {
    Rollout r = Rollout.decide(replicas, stale, ready);
    assertThat(r.update()).isEqualTo(update);
    assertThat(r.hold()).isEqualTo(hold);
    assertThat(r.rolling()).as("the replica Progressing names").isEqualTo(rolling);
  }
}
