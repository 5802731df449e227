package io.peerrelay.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.observe.TailnetReport;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TailnetVerdictTest {

  private static final TailnetFacts OK =
      new TailnetFacts("https://controlplane.tailscale.com", "ts-auth", "authkey", null);
  private static final TailnetFacts NO_SECRET =
      new TailnetFacts(
          "https://controlplane.tailscale.com", "ts-auth", "authkey", "Secret ts-auth not found");

  private static TailnetReport report(String state, String message) {
    return new TailnetReport(
        true, state, message, "office-0", "nodekey:00", List.of("100.64.0.3"), true, true, 1);
  }

  private static ReplicaFacts replica(int i, TailnetReport r) {
    return new ReplicaFacts(i, "p", "n", r != null, "discokey:0", List.of(), r, null, null, null);
  }

  static Stream<Arguments> cases() {
    TailnetReport registered = report(TailnetReport.REGISTERED, "");
    return Stream.of(
        Arguments.of(OK, List.of(replica(0, registered)), "True", "Registered", "as office-0"),
        Arguments.of(
            NO_SECRET,
            List.of(replica(0, null)),
            "False",
            "AuthKeyMissing",
            "create Secret ts-auth with key authkey"),
        Arguments.of(
            NO_SECRET,
            List.of(replica(0, registered)),
            "True",
            "Registered",
            "Secret ts-auth not found"),
        Arguments.of(
            OK,
            List.of(replica(0, report(TailnetReport.AUTH_KEY_REFUSED, "invalid key"))),
            "False",
            "AuthKeyRefused",
            "invalid key"),
        Arguments.of(
            OK,
            List.of(
                replica(0, report(TailnetReport.CONTROL_UNREACHABLE, "dial tcp: timeout")),
                replica(1, report(TailnetReport.NODE_KEY_EXPIRED, "expired"))),
            "False",
            "NodeKeyExpired",
            "replica(s) [1]"),
        Arguments.of(
            OK,
            List.of(replica(0, report(TailnetReport.CONTROL_UNREACHABLE, "dial tcp: timeout"))),
            "False",
            "ControlUnreachable",
            "https://controlplane.tailscale.com"),
        Arguments.of(OK, List.of(replica(0, null)), "False", "Pending", "pod not ready"),
        Arguments.of(
            OK,
            List.of(replica(0, TailnetReport.notAnswering("/tailnet on 127.0.0.1:1 refused"))),
            "False",
            "Pending",
            "refused"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void reasonAndFix(
      TailnetFacts facts,
      List<ReplicaFacts> replicas,
      String status,
      String reason,
      String messagePart) {
    TailnetVerdict v = TailnetVerdict.of(facts, replicas);
    assertThat(v.status()).isEqualTo(status);
    assertThat(v.reason()).isEqualTo(reason);
    assertThat(v.message()).contains(messagePart);
    assertThat(
            List.of(
                Conditions.REASON_REGISTERED,
                Conditions.REASON_PENDING,
                Conditions.REASON_AUTH_KEY_MISSING,
                Conditions.REASON_AUTH_KEY_REFUSED,
                Conditions.REASON_NODE_KEY_EXPIRED,
                Conditions.REASON_CONTROL_UNREACHABLE))
        .contains(v.reason());
  }
}
