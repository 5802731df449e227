package io.peerrelay.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.observe.Endpoint;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelayStatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-24T10:05:00Z");

  private static ReplicaFacts replica(int i, boolean ready, String... endpoints) {
    return new ReplicaFacts(
        i,
        "r-" + i + "-0",
        ready ? "node-" + i : null,
        ready,
        "discokey:" + i,
        Stream.of(endpoints).map(Endpoint::parse).toList(),
        null,
        null,
        null,
        null);
  }

  private static RelayFacts facts(int desired, List<ReplicaFacts> replicas) {
    return new RelayFacts(
        7, desired, "sel", replicas, 1, null, null, null, List.of(), null, Map.of());
  }

  private static RelayStatusAggregator at(Instant t) {
    return new RelayStatusAggregator(Clock.fixed(t, ZoneOffset.UTC));
  }

  static Stream<Arguments> readyCases() {
    ReplicaFacts ok0 = replica(0, true, "203.0.113.1:40000");
    ReplicaFacts ok1 = replica(1, true, "203.0.113.2:40000");
    return Stream.of(
        Arguments.of("all ready with endpoints", facts(2, List.of(ok0, ok1)), "True", "Ready"),
        Arguments.of(
            "one pod not ready",
            facts(2, List.of(ok0, replica(1, false, "203.0.113.2:40000"))),
            "False",
            "PodsPending"),
        Arguments.of(
            "ready but no address yet",
            facts(2, List.of(ok0, replica(1, true))),
            "False",
            "EndpointsPending"),
        Arguments.of("scaled to zero", facts(0, List.of()), "True", "ScaledToZero"),
        Arguments.of(
            "config problem wins over everything",
            new RelayFacts(
                7,
                2,
                "sel",
                List.of(ok0, ok1),
                1,
                "spec.udpPort: x",
                "psa",
                1,
                List.of(),
                null,
                Map.of()),
            "False",
            "ConfigInvalid"),
        Arguments.of(
            "pod security wins over pending pods",
            new RelayFacts(
                7,
                1,
                "sel",
                List.of(replica(0, false)),
                1,
                null,
                "forbidden",
                null,
                List.of(),
                null,
                Map.of()),
            "False",
            "PodSecurityBlocked"),
        Arguments.of(
            "rolling replica reports progress",
            new RelayFacts(
                7,
                2,
                "sel",
                List.of(ok0, replica(1, false)),
                1,
                null,
                null,
                1,
                List.of(),
                null,
                Map.of()),
            "False",
            "Progressing"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyCases")
  void readyConditionNamesTheFirstProblem(
      String name, RelayFacts facts, String status, String reason) {
    Condition ready = condition(at(T0).aggregate(null, facts), Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo(status);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getObservedGeneration()).isEqualTo(7L);
    assertThat(ready.getMessage()).isNotBlank();
  }

  @Test
  void transitionTimeIsKeptWhileStatusAndReasonStayTheSame() {
    RelayFacts pending = facts(1, List.of(replica(0, false)));
    PeerRelayStatus first = at(T0).aggregate(null, pending);
    PeerRelayStatus again = at(T1).aggregate(first, pending);
    assertThat(again).as("a repeated reconcile changes no byte").isEqualTo(first);
    assertThat(condition(again, Conditions.READY).getLastTransitionTime())
        .isEqualTo("2026-11-24T10:00:00Z");

    PeerRelayStatus ready =
        at(T1).aggregate(first, facts(1, List.of(replica(0, true, "192.0.2.1:1"))));
    assertThat(condition(ready, Conditions.READY).getLastTransitionTime())
        .isEqualTo("2026-11-24T10:05:00Z");
    assertThat(condition(ready, Conditions.ACCESS).getLastTransitionTime())
        .as("Access did not change")
        .isEqualTo("2026-11-24T10:00:00Z");
  }

  @Test
  void endpointsAreSortedByReplicaThenAddressNumericallyAndSummarised() {
    PeerRelayStatus s =
        at(T0)
            .aggregate(
                null,
                facts(
                    2,
                    List.of(
                        replica(1, true, "198.51.100.9:40000", "198.51.100.10:40000"),
                        replica(0, true, "203.0.113.1:40000", "203.0.113.1:40000"))));
    assertThat(s.getEndpoints())
        .containsExactly(
            new RelayEndpoint(0, "203.0.113.1:40000"),
            new RelayEndpoint(1, "198.51.100.9:40000"),
            new RelayEndpoint(1, "198.51.100.10:40000"));
    assertThat(s.getEndpointSummary())
        .as("numeric address order, as in the relay config")
        .isEqualTo("203.0.113.1:40000,198.51.100.9:40000,198.51.100.10:40000");
    assertThat(s.getReplicaStatuses()).extracting(r -> r.getIndex()).containsExactly(0, 1);
    assertThat(s.getReplicaStatuses().get(1).getPublicKey()).isEqualTo("discokey:1");
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getReplicas()).isEqualTo(2);
  }

  @Test
  void staleEndpointsKeepReadyButExposureSaysSoNamingTheHostname() {
    RelayFacts f =
        new RelayFacts(
            7,
            1,
            "sel",
            List.of(replica(0, true, "203.0.113.1:40000")),
            1,
            null,
            null,
            null,
            List.of(),
            null,
            Map.of(0, List.of("gone.elb.amazonaws.com")));
    PeerRelayStatus s = at(T0).aggregate(null, f);
    assertThat(condition(s, Conditions.READY).getStatus()).isEqualTo(Conditions.TRUE);
    Condition exposure = condition(s, Conditions.EXPOSURE);
    assertThat(exposure.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(exposure.getReason()).isEqualTo(Conditions.REASON_ENDPOINTS_STALE);
    assertThat(exposure.getMessage()).contains("replica 0: gone.elb.amazonaws.com");
    assertThat(s.getEndpointSummary()).isEqualTo("203.0.113.1:40000");
  }

  @Test
  void aStaticEndpointSharedByEveryReplicaIsSummarisedOnce() {
    // spec.staticEndpoints go to every replica: status.endpoints keeps one entry per replica
    // (each relay advertises it), but kubectl's ENDPOINTS column names the address once.
    PeerRelayStatus s =
        at(T0)
            .aggregate(
                null,
                facts(
                    3,
                    List.of(
                        replica(0, true, "203.0.113.1:40000", "198.51.100.7:3478"),
                        replica(1, true, "203.0.113.2:40000", "198.51.100.7:3478"),
                        replica(2, true, "198.51.100.7:3478"))));
    assertThat(s.getEndpoints()).hasSize(5);
    assertThat(s.getEndpointSummary())
        .isEqualTo("198.51.100.7:3478,203.0.113.1:40000,203.0.113.2:40000");
  }

  @Test
  void noGrantsMeansAccessFalseAndOverriddenAnnotationsAreListed() {
    RelayFacts f =
        new RelayFacts(
            1,
            1,
            "sel",
            List.of(replica(0, true, "192.0.2.1:1")),
            0,
            null,
            null,
            null,
            List.of("service.beta.kubernetes.io/aws-load-balancer-type"),
            null,
            Map.of());
    PeerRelayStatus s = at(T0).aggregate(null, f);
    assertThat(condition(s, Conditions.ACCESS).getReason()).isEqualTo(Conditions.REASON_NO_GRANTS);
    assertThat(condition(s, Conditions.ACCESS).getStatus()).isEqualTo(Conditions.FALSE);
    Condition exposure = condition(s, Conditions.EXPOSURE);
    assertThat(exposure.getReason()).isEqualTo(Conditions.REASON_ANNOTATION_OVERRIDDEN);
    assertThat(exposure.getMessage()).contains("aws-load-balancer-type");
    assertThat(s.getEndpointSummary()).isEqualTo("192.0.2.1:1");
  }

  private static PeerRelayStatus working() {
    return at(T0)
        .aggregate(
            null,
            facts(
                2,
                List.of(
                    replica(0, true, "203.0.113.1:40000"), replica(1, true, "203.0.113.2:40000"))));
  }

  @Test
  void aFailedReconcileKeepsTheLastKnownReplicasAndEndpoints() {
    PeerRelayStatus before = working();
    PeerRelayStatus s =
        at(T1)
            .failed(
                before,
                8,
                "sel",
                Conditions.FALSE,
                Conditions.REASON_CONFIG_INVALID,
                "reconcile failed: x");
    assertThat(s.getReplicaStatuses()).isEqualTo(before.getReplicaStatuses()).hasSize(2);
    assertThat(s.getEndpoints()).isEqualTo(before.getEndpoints()).hasSize(2);
    assertThat(s.getEndpointSummary()).isEqualTo("203.0.113.1:40000,203.0.113.2:40000");
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getReplicas()).isEqualTo(2);
    assertThat(s.getGrantedKeys()).isEqualTo(1);
    assertThat(s.getObservedGeneration()).isEqualTo(8L);
    Condition ready = condition(s, Conditions.READY);
    assertThat(ready.getReason()).isEqualTo(Conditions.REASON_CONFIG_INVALID);
    assertThat(ready.getMessage()).isEqualTo("reconcile failed: x");
    assertThat(ready.getLastTransitionTime()).isEqualTo("2026-11-24T10:05:00Z");
    assertThat(condition(s, Conditions.ACCESS)).isEqualTo(condition(before, Conditions.ACCESS));
    assertThat(condition(s, Conditions.EXPOSURE)).isEqualTo(condition(before, Conditions.EXPOSURE));
  }

  @Test
  void aTransientErrorLeavesAHealthyStatusUntouched() {
    PeerRelayStatus before = working();
    assertThat(at(T1).afterTransientError(before, 8, "sel", "API request failed: HTTP 503"))
        .isSameAs(before);
    PeerRelayStatus pending = at(T0).aggregate(null, facts(1, List.of(replica(0, false))));
    assertThat(at(T1).afterTransientError(pending, 8, "sel", "HTTP 409")).isSameAs(pending);
  }

  @Test
  void aTransientErrorAfterAFailureOrBeforeAnyStatusSaysApiErrorAndKeepsReplicas() {
    PeerRelayStatus invalid =
        at(T0)
            .failed(working(), 7, "sel", Conditions.FALSE, Conditions.REASON_CONFIG_INVALID, "bad");
    PeerRelayStatus s = at(T1).afterTransientError(invalid, 8, "sel", "HTTP 503");
    Condition ready = condition(s, Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo(Conditions.UNKNOWN);
    assertThat(ready.getReason()).isEqualTo(Conditions.REASON_API_ERROR);
    assertThat(ready.getMessage()).isEqualTo("HTTP 503");
    assertThat(s.getObservedGeneration()).as("the new generation is not applied yet").isEqualTo(7L);
    assertThat(s.getReplicaStatuses()).hasSize(2);
    assertThat(s.getEndpointSummary()).isEqualTo("203.0.113.1:40000,203.0.113.2:40000");

    PeerRelayStatus fresh = at(T1).afterTransientError(null, 1, "sel", "connection refused");
    assertThat(condition(fresh, Conditions.READY).getReason())
        .isEqualTo(Conditions.REASON_API_ERROR);
    assertThat(fresh.getReplicaStatuses()).isEmpty();
    assertThat(fresh.getSelector()).isEqualTo("sel");
  }

  private static Condition condition(PeerRelayStatus s, String type) {
    return s.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
