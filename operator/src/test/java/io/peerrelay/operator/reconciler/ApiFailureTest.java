package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ApiFailureTest {

  private static KubernetesClientException answered(int code) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage("HTTP " + code).build());
  }

  @ParameterizedTest(name = "HTTP {0} transient={1}")
  @CsvSource({
    "400, false",
    "422, false",
    "409, true",
    "429, true",
    "500, true",
    "503, true",
    "504, true",
    "403, true",
    "404, true"
  })
  void onlyTheServerRefusingTheObjectIsTheSpecsFault(int code, boolean transientError) {
    assertThat(ApiFailure.isTransient(answered(code))).isEqualTo(transientError);
    // JOSDK and our own code wrap what fabric8 throws; the classification looks through that.
    assertThat(ApiFailure.isTransient(new IllegalStateException("wrapped", answered(code))))
        .isEqualTo(transientError);
  }

  static Stream<Arguments> unanswered() {
    return Stream.of(
        Arguments.of(
            "connection refused",
            new KubernetesClientException(
                "An error has occurred.", new ConnectException("refused"))),
        Arguments.of(
            "read timeout",
            new KubernetesClientException("timeout", new SocketTimeoutException("read"))),
        Arguments.of("bare I/O error", new IOException("broken pipe")),
        Arguments.of("timeout", new RuntimeException(new TimeoutException("informer sync"))),
        Arguments.of(
            "interrupted while stopping",
            new IllegalStateException(new InterruptedException("operator stopping"))),
        Arguments.of("no HTTP answer", new KubernetesClientException("no answer")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unanswered")
  void noAnswerFromTheServerIsTransient(String what, Throwable t) {
    assertThat(ApiFailure.isTransient(t)).isTrue();
  }

  @Test
  void anErrorOutsideAnyApiCallIsNotRetried() {
    assertThat(ApiFailure.isTransient(new IllegalArgumentException("spec.udpPort: 0"))).isFalse();
  }

  /**
   * What the API server answers to a StatefulSet with requests above limits (as fabric8 wraps it).
   */
  private static KubernetesClientException refusedStatefulSet() {
    Status status =
        new StatusBuilder()
            .withCode(422)
            .withReason("Invalid")
            .withMessage(
                "StatefulSet.apps \"greedy-0\" is invalid:"
                    + " spec.template.spec.containers[0].resources.requests: Invalid value: \"2\":"
                    + " must be less than or equal to cpu limit of 1")
            .withNewDetails()
            .withKind("StatefulSet")
            .withName("greedy-0")
            .withGroup("apps")
            .addNewCause()
            .withField("spec.template.spec.containers[0].resources.requests")
            .withReason("FieldValueInvalid")
            .withMessage("Invalid value: \"2\": must be less than or equal to cpu limit of 1")
            .endCause()
            .endDetails()
            .build();
    return new KubernetesClientException(
        "Failure executing: PATCH at: https://127.0.0.1:6443/apis/apps/v1/namespaces/x/statefulsets"
            + "/greedy-0?fieldManager=peerrelay-operator&force=true. Message: ...",
        422,
        status);
  }

  @Test
  void aRefusedChildIsNamedWithTheServersCausesAndTheFieldToFix() {
    assertThat(ApiFailure.describe("StatefulSet", refusedStatefulSet()))
        .isEqualTo(
            "StatefulSet greedy-0: spec.template.spec.containers[0].resources.requests:"
                + " must be less than or equal to cpu limit of 1 (fix spec.resources)");
  }

  @Test
  void withoutDetailsTheDependentsKindAndTheServersMessageAreUsed() {
    KubernetesClientException e =
        new KubernetesClientException(
            "Failure executing: PATCH at: https://...",
            400,
            new StatusBuilder().withCode(400).withMessage("the body is not valid JSON").build());
    assertThat(ApiFailure.describe("ConfigMap", e))
        .isEqualTo("ConfigMap: the body is not valid JSON");
  }

  @Test
  void aPlainExceptionGivesItsRootMessage() {
    assertThat(
            ApiFailure.describe(
                null, new IllegalStateException("outer", new IllegalArgumentException("bad port"))))
        .isEqualTo("bad port");
  }
}
