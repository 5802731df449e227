package io.peerrelay.operator.it;

import static io.peerrelay.operator.it.Fixtures.clientKey;
import static io.peerrelay.operator.it.Fixtures.grant;
import static io.peerrelay.operator.it.Fixtures.relay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerrelay.operator.OperatorSettings;
import io.peerrelay.operator.ProbeServer;
import io.peerrelay.operator.RelayOperator;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.PeerRelayStatus;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator as it runs in a cluster: as a ServiceAccount holding exactly the written-down RBAC
 * (so a missing verb fails here, not in production), with leader election on a Lease, and with its
 * health and Prometheus ports answering.
 */
class OperatorProcessIT {

  @RegisterExtension static final OperatorHarness harness = OperatorHarness.crdsOnly();

  @Test
  void reconcilesWithOnlyItsOwnRbacTakesTheLeaseAndServesProbesAndMetrics() throws Exception {
    KubernetesClient admin = harness.client();
    String system = harness.newNamespace("peerrelay-system");
    String sa = "peerrelay-operator";
    admin
        .resource(new ServiceAccountBuilder().withNewMetadata().withName(sa).endMetadata().build())
        .inNamespace(system)
        .create();
    grantRbac(admin, system, sa);

    Config config = harness.controlPlane().config();
    // Impersonation: every request is authorised exactly as the ServiceAccount's would be.
    config.setImpersonateUsername("system:serviceaccount:" + system + ":" + sa);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + system, "system:authenticated");
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(),
            OperatorSettings.DEFAULT_RELAY_IMAGE,
            0,
            0,
            true,
            "peerrelay-operator",
            system);
    try (KubernetesClient asOperator = new KubernetesClientBuilder().withConfig(config).build();
        RelayOperator operator = RelayOperator.create(asOperator, settings, registry);
        ProbeServer probes = ProbeServer.start(0, 0, () -> true, operator::healthy, registry)) {
      operator.start();

      Lease lease =
          await()
              .atMost(RelayAwait.TIMEOUT)
              .until(
                  () -> admin.leases().inNamespace(system).withName("peerrelay-operator").get(),
                  l -> l != null && l.getSpec().getHolderIdentity() != null);
      assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

      String ns = harness.newNamespace("rbac");
      harness.create(ns, relay("office", 2, ExposureType.AWSNLB, Map.of("pool", "a")));
      harness.create(
          ns, grant("g", Map.of("pool", "a"), GrantSource.ofClientKeys(List.of(clientKey(9)))));
      PeerRelayStatus s =
          RelayAwait.status(
              admin,
              ns,
              "office",
              st ->
                  Conditions.REASON_PODS_PENDING.equals(RelayAwait.readyReason(st))
                      && Integer.valueOf(1).equals(st.getGrantedKeys())
                      && st.getReplicaStatuses().stream().allMatch(r -> r.getPublicKey() != null));
      assertThat(s.getReplicaStatuses()).hasSize(2);
      assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(ns).withName("office").get())
          .isNotNull();
      assertThat(admin.v1().events().inNamespace(ns).list().getItems()).isNotEmpty();
      // Scale-down deletes a unit: the "delete" verbs.
      admin
          .resources(io.peerrelay.operator.api.PeerRelay.class)
          .inNamespace(ns)
          .withName("office")
          .scale(1);
      await()
          .atMost(RelayAwait.TIMEOUT)
          .until(() -> admin.apps().statefulSets().inNamespace(ns).list().getItems().size() == 1);
      // A namespace that forbids hostNetwork: the namespace "get" and the dry-run pod "create".
      String baseline =
          harness.newNamespace(
              "rbac-psa", Map.of("pod-security.kubernetes.io/enforce", "baseline"));
      harness.create(baseline, relay("blocked", 1, ExposureType.NodeAddress));
      RelayAwait.reason(admin, baseline, "blocked", Conditions.REASON_POD_SECURITY_BLOCKED);

      HttpClient http = HttpClient.newHttpClient();
      assertThat(get(http, probes.healthPort(), "/healthz").statusCode()).isEqualTo(200);
      await()
          .atMost(RelayAwait.TIMEOUT)
          .until(() -> get(http, probes.healthPort(), "/readyz").statusCode() == 200);
      HttpResponse<String> metrics = get(http, probes.metricsPort(), "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("operator_sdk_reconciliations");
      // "office" waits for pods, "blocked" is refused by Pod Security (other tests add more).
      assertThat(metrics.body())
          .contains("peerrelay_relays{reason=\"PodsPending\"} ")
          .doesNotContain("peerrelay_relays{reason=\"PodsPending\"} 0.0")
          .doesNotContain("peerrelay_relays{reason=\"PodSecurityBlocked\"} 0.0");
    }
  }

  @Test
  void aMissingLeaseNamespaceIsNamedAndKeepsTheOperatorNotReadyUntilItExists() throws Exception {
    // Before: the elector failed every retry period with a stack trace while /readyz said ok.
    String missing = "lease-" + Long.toHexString(System.nanoTime());
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(), OperatorSettings.DEFAULT_RELAY_IMAGE, 0, 0, true, "gated", missing);
    try (KubernetesClient client = harness.controlPlane().newClient();
        RelayOperator operator =
            RelayOperator.create(
                client, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      Thread starter = new Thread(operator::start, "gated-start");
      starter.start();
      await().atMost(RelayAwait.TIMEOUT).until(() -> operator.leaseNamespaceProblem() != null);
      assertThat(operator.leaseNamespaceProblem())
          .contains("Lease namespace " + missing + " does not exist")
          .contains("PEERRELAY_LEASE_NAMESPACE");
      Thread.sleep(3_000);
      assertThat(operator.healthy()).as("not ready while it cannot elect").isFalse();
      assertThat(harness.client().leases().inNamespace(missing).list().getItems()).isEmpty();

      harness
          .client()
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(missing).endMetadata().build())
          .create();
      await()
          .atMost(RelayAwait.TIMEOUT)
          .until(
              () -> harness.client().leases().inNamespace(missing).withName("gated").get(),
              l -> l != null && l.getSpec().getHolderIdentity() != null);
      await().atMost(RelayAwait.TIMEOUT).until(operator::healthy);
      assertThat(operator.leaseNamespaceProblem()).isNull();
      starter.join(RelayAwait.TIMEOUT.toMillis());
    } finally {
      harness.client().namespaces().withName(missing).delete();
    }
  }

  @Test
  @SuppressWarnings("try") // the leader is closed early on purpose; the resource block is a net
  void aStandbyTakesOverWhenTheLeaderStops() {
    String system = harness.newNamespace("failover");
    OperatorSettings settings =
        new OperatorSettings(
            Set.of(), OperatorSettings.DEFAULT_RELAY_IMAGE, 0, 0, true, "failover", system);
    try (KubernetesClient c1 = harness.controlPlane().newClient();
        KubernetesClient c2 = harness.controlPlane().newClient();
        RelayOperator first =
            RelayOperator.create(
                c1, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        RelayOperator second =
            RelayOperator.create(
                c2, settings, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
      first.start();
      String holder =
          await()
              .atMost(RelayAwait.TIMEOUT)
              .until(
                  () -> {
                    Lease l =
                        harness.client().leases().inNamespace(system).withName("failover").get();
                    return l == null ? null : l.getSpec().getHolderIdentity();
                  },
                  h -> h != null);
      second.start();
      String ns = harness.newNamespace("failover-relays");
      harness.create(ns, relay("before", 1, ExposureType.None));
      RelayAwait.reason(harness.client(), ns, "before", Conditions.REASON_PODS_PENDING);

      first.close();
      long stopped = System.nanoTime();
      harness.create(ns, relay("after", 1, ExposureType.None));
      // The Lease is not released on stop: the standby takes it once it expires (15 s).
      RelayAwait.status(
          harness.client(),
          ns,
          "after",
          s -> Conditions.REASON_PODS_PENDING.equals(RelayAwait.readyReason(s)),
          Duration.ofSeconds(45));
      long waited = Duration.ofNanos(System.nanoTime() - stopped).toSeconds();
      assertThat(waited)
          .as("the standby did not reconcile until it held the Lease")
          .isGreaterThanOrEqualTo(5);
      Lease lease = harness.client().leases().inNamespace(system).withName("failover").get();
      assertThat(lease.getSpec().getHolderIdentity()).isNotEqualTo(holder);
    }
  }

  /** Binds the ClusterRole and the leader-election Role from the operator's RBAC file. */
  private static void grantRbac(KubernetesClient admin, String system, String sa) throws Exception {
    List<HasMetadata> items;
    try (InputStream in = OperatorProcessIT.class.getResourceAsStream("/rbac/clusterrole.yaml")) {
      items = admin.load(in).items();
    }
    ClusterRole clusterRole = (ClusterRole) items.get(0);
    clusterRole.getMetadata().setName("peerrelay-operator-" + system);
    admin.resource(clusterRole).create();
    Role role = (Role) items.get(1);
    admin.resource(role).inNamespace(system).create();
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("peerrelay-operator-" + system)
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", clusterRole.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(sa)
                .withNamespace(system)
                .endSubject()
                .build())
        .create();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("peerrelay-operator-leader-election")
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(sa)
                .withNamespace(system)
                .endSubject()
                .build())
        .inNamespace(system)
        .create();
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
