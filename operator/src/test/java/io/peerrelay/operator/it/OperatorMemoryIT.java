package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.testsupport.ToolPaths;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, point 15: the operator's heap with {@value #RELAYS} PeerRelays and {@value #SECRETS}
 * unrelated ~1 MiB Secrets (Helm-release sized) against the chart's memory limit. Prints the
 * figures; asserts only generous bounds. The operator runs in this JVM, so "heap" is the test JVM's
 * live heap after a full GC (the operator's caches plus the test's small client), measured before
 * and after the Secrets exist: with the label-selected Secret informers it does not grow with them.
 * PeerRelays have {@code replicas: 0} to keep the run short on a shared machine.
 */
class OperatorMemoryIT {

  static final int RELAYS = 500;
  static final int SECRETS = 200;

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();

  @Test
  void unrelatedSecretsDoNotGrowTheHeapAndItStaysWithinTheChartLimit() throws Exception {
    long limit = chartMemoryLimit();
    String ns = harness.newNamespace("memory");
    for (int i = 0; i < RELAYS; i++) {
      PeerRelay r = relay("r" + i, 0, ExposureType.None);
      harness.create(ns, r);
    }
    awaitAllReconciled(ns);
    long relaysOnly = liveHeap();

    byte[] blob = new byte[1024 * 1024 - 4096];
    new java.util.Random(1).nextBytes(blob);
    String data = Base64.getEncoder().encodeToString(blob);
    for (int i = 0; i < SECRETS; i++) {
      harness
          .client()
          .secrets()
          .inNamespace(ns)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("sh.helm.release.v1.app" + i + ".v1")
                  .endMetadata()
                  .withType("helm.sh/release.v1")
                  .addToData("release", data)
                  .build())
          .create();
    }
    // Let any informer that would cache them receive them.
    Thread.sleep(10_000);
    long withSecrets = liveHeap();
    System.out.printf(
        "operator-memory relays=%d secrets=%dx1MiB heapAfterRelays=%dMiB"
            + " heapAfterSecrets=%dMiB growth=%dMiB chartLimit=%dMiB%n",
        RELAYS,
        SECRETS,
        relaysOnly >> 20,
        withSecrets >> 20,
        (withSecrets - relaysOnly) >> 20,
        limit >> 20);
    assertThat(withSecrets - relaysOnly)
        .as("200 MiB of unrelated Secrets must not be cached")
        .isLessThan(64L << 20);
    assertThat(withSecrets).as("live heap within the chart's limit").isLessThan(limit / 2);
  }

  private static void awaitAllReconciled(String ns) {
    await()
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () ->
                harness
                        .client()
                        .resources(PeerRelay.class)
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .stream()
                        .filter(r -> r.getStatus() != null && r.getStatus().getConditions() != null)
                        .count()
                    == RELAYS);
  }

  private static long liveHeap() throws InterruptedException {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** {@code resources.limits.memory} of helm/peerrelay/values.yaml, in bytes (Mi or Gi). */
  private static long chartMemoryLimit() throws Exception {
    String values = Files.readString(ToolPaths.projectRoot().resolve("helm/peerrelay/values.yaml"));
    Matcher m = Pattern.compile("limits:\\s*\\{\\s*memory:\\s*(\\d+)(Mi|Gi)").matcher(values);
    assertThat(m.find()).as("values.yaml resources.limits.memory").isTrue();
    return Long.parseLong(m.group(1)) << ("Gi".equals(m.group(2)) ? 30 : 20);
  }
}
