package io.peerrelay.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.peerrelay.operator.api.Condition;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.observe.ConfigReport;
import io.peerrelay.operator.observe.StartRefusal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConfigAccepted (and Ready) from the relays' /config reports and termination messages. */
class ConfigVerdictTest {

  private static final String WRITTEN =
      ReplicaFacts.writtenSha256(
          new ConfigMapBuilder().addToData("relay.yaml", "version: 1\n").build());
  private static final String OLDER = "0".repeat(64);

  private static ReplicaFacts replica(int i, ConfigReport config, StartRefusal start) {
    return new ReplicaFacts(
        i,
        "r-" + i + "-0",
        "node",
        config != null,
        "discokey:" + "ab".repeat(32),
        List.of(io.peerrelay.operator.observe.Endpoint.parse("192.0.2.1:40000")),
        null,
        config,
        WRITTEN,
        start);
  }

  private static ConfigReport applied(String sha) {
    return new ConfigReport(
        new ConfigReport.Applied(sha, "2026-12-02T00:00:00Z"), null, null, null);
  }

  private static ConfigReport rejected(String appliedSha, String rejectedSha) {
    return new ConfigReport(
        new ConfigReport.Applied(appliedSha, "2026-12-02T00:00:00Z"),
        new ConfigReport.Rejected(
            rejectedSha,
            "staticEndpoints",
            "at most 16 endpoints; remove some",
            "2026-12-02T00:01Z"),
        null,
        null);
  }

  /** A relay pod whose relay container last exited with {@code code} and {@code message}. */
  private static java.util.Optional<StartRefusal> refusal(String message, int code) {
    Pod pod =
        new PodBuilder()
            .withNewStatus()
            .addNewContainerStatus()
            .withName("relay")
            .withReady(false)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(code)
            .withMessage(message + "\n")
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();
    return StartRefusal.of(pod, "relay");
  }

  private static PeerRelayStatus aggregate(PeerRelayStatus previous, ReplicaFacts... replicas) {
    RelayFacts f =
        new RelayFacts(
            3,
            replicas.length,
            "sel",
            List.of(replicas),
            1,
            null,
            null,
            null,
            List.of(),
            null,
            Map.of());
    return new RelayStatusAggregator(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .aggregate(previous, f);
  }

  @Test
  void theWrittenHashIsTheSha256OfTheExactBytes() {
    // printf 'version: 1\n' | sha256sum
    assertThat(WRITTEN)
        .isEqualTo("09bfcc6a14b83e2192b8673677725c84883ee9cd0c70e45c9ec09daa8f2b2847");
  }

  @Test
  void aRelayRefusingWhatWasWrittenNamesReplicaAndFieldInBothConditions() {
    PeerRelayStatus s =
        aggregate(
            null, replica(0, applied(WRITTEN), null), replica(1, rejected(OLDER, WRITTEN), null));
    Condition config = s.condition(Conditions.CONFIG_ACCEPTED);
    assertThat(config.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(config.getReason()).isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
    assertThat(config.getMessage())
        .isEqualTo(
            "replica 1: relay refused relay.yaml field staticEndpoints: at most 16 endpoints;"
                + " remove some");
    Condition ready = s.condition(Conditions.READY);
    assertThat(ready.getStatus()).isEqualTo(Conditions.FALSE);
    assertThat(ready.getReason()).isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
    assertThat(ready.getMessage()).isEqualTo(config.getMessage());
  }

  @Test
  void aRefusalAtStartComesFromTheTerminationMessage() {
    PeerRelayStatus s =
        aggregate(
            null,
            replica(0, null, new StartRefusal("lifetimes.bindTimeout", "must be more than 0s")));
    assertThat(s.condition(Conditions.CONFIG_ACCEPTED).getMessage())
        .isEqualTo(
            "replica 0: relay refused relay.yaml field lifetimes.bindTimeout: must be more"
                + " than 0s");
    assertThat(s.condition(Conditions.READY).getReason())
        .isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
  }

  @Test
  void everyReplicaApplyingWhatWasWrittenIsAcceptedAndReady() {
    PeerRelayStatus s =
        aggregate(null, replica(0, applied(WRITTEN), null), replica(1, applied(WRITTEN), null));
    Condition config = s.condition(Conditions.CONFIG_ACCEPTED);
    assertThat(config.getStatus()).isEqualTo(Conditions.TRUE);
    assertThat(config.getReason()).isEqualTo(Conditions.REASON_APPLIED);
    assertThat(s.condition(Conditions.READY).getReason()).isEqualTo(Conditions.REASON_READY);
  }

  @Test
  void aReplicaNotProbedOrNotCaughtUpLeavesTheConditionAsItWas() {
    PeerRelayStatus refused =
        aggregate(null, replica(0, rejected(OLDER, WRITTEN), null), replica(1, null, null));
    // replica 0 stops answering, replica 1 still runs an older file (a refusal of an older file
    // is not one of ours): no verdict, the refusal stays.
    PeerRelayStatus next =
        aggregate(
            refused,
            replica(0, ConfigReport.notAnswering("/config on x did not answer"), null),
            replica(1, rejected(WRITTEN, OLDER), null));
    assertThat(next.condition(Conditions.CONFIG_ACCEPTED))
        .isEqualTo(refused.condition(Conditions.CONFIG_ACCEPTED));
    assertThat(next.condition(Conditions.READY).getReason())
        .isEqualTo(Conditions.REASON_RELAY_REFUSED_CONFIG);
    // Nothing known and nothing before: no condition at all rather than a guess.
    assertThat(
            aggregate(null, replica(0, applied(OLDER), null)).condition(Conditions.CONFIG_ACCEPTED))
        .isNull();
  }

  @Test
  void onlyAOneLineFieldMessageOfANonZeroExitIsARefusal() {
    assertThat(refusal("staticEndpoints: at most 16", 1))
        .hasValue(new StartRefusal("staticEndpoints", "at most 16"));
    assertThat(refusal(": mapping values are not allowed here", 1))
        .hasValue(new StartRefusal("", "mapping values are not allowed here"));
    assertThat(refusal("staticEndpoints: x", 0)).isEmpty();
    assertThat(refusal("Exception in thread main\n\tat x: y", 1)).isEmpty();
    assertThat(refusal("2026-12-02 00:00:00 ERROR bind: in use", 1)).isEmpty();
  }
}
