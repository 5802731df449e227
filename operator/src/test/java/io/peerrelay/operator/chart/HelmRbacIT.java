package io.peerrelay.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC as helm renders it: Secrets only get/list/watch/create (never patch, update or
 * delete), and with {@code watchNamespaces} a Role per namespace and only the cluster-scoped needs
 * (Nodes, Namespaces) in the ClusterRole.
 */
class HelmRbacIT {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private static final Path CHART = ToolPaths.projectRoot().resolve("helm/peerrelay");

  @Test
  void allNamespacesUseOneClusterRoleThatCannotPatchSecrets() throws Exception {
    List<HasMetadata> docs = render();
    ClusterRole cr = only(docs, ClusterRole.class);
    assertThat(verbs(cr.getRules(), "secrets")).containsExactly("get", "list", "watch", "create");
    assertThat(verbs(cr.getRules(), "peerrelays")).containsExactly("list", "watch");
    assertThat(docs.stream().filter(d -> d instanceof Role))
        .extracting(d -> d.getMetadata().getName())
        .as("only the leader-election Role")
        .containsExactly("peerrelay-leader-election");
  }

  @Test
  void watchNamespacesBindARolePerNamespaceAndKeepOnlyClusterScopedRulesCluster() throws Exception {
    List<HasMetadata> docs = render("--set", "watchNamespaces={relays-a,relays-b}");
    ClusterRole cr = only(docs, ClusterRole.class);
    assertThat(cr.getRules())
        .flatExtracting(PolicyRule::getResources)
        .containsExactlyInAnyOrder("nodes", "namespaces");
    List<Role> roles =
        docs.stream()
            .filter(d -> d instanceof Role && !d.getMetadata().getName().endsWith("election"))
            .map(Role.class::cast)
            .toList();
    assertThat(roles)
        .extracting(r -> r.getMetadata().getNamespace())
        .containsExactly("relays-a", "relays-b");
    for (Role r : roles) {
      assertThat(verbs(r.getRules(), "secrets")).containsExactly("get", "list", "watch", "create");
      assertThat(verbs(r.getRules(), "peerrelays")).containsExactly("list", "watch");
      assertThat(r.getRules()).flatExtracting(PolicyRule::getResources).doesNotContain("nodes");
    }
    assertThat(
            docs.stream()
                .filter(d -> d instanceof RoleBinding)
                .map(d -> d.getMetadata().getNamespace()))
        .contains("relays-a", "relays-b");
  }

  private static List<String> verbs(List<PolicyRule> rules, String resource) {
    return rules.stream()
        .filter(r -> r.getResources().contains(resource))
        .flatMap(r -> r.getVerbs().stream())
        .toList();
  }

  private static <T> T only(List<HasMetadata> docs, Class<T> type) {
    List<T> found = docs.stream().filter(type::isInstance).map(type::cast).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  private static List<HasMetadata> render(String... extra)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ToolPaths.locate().binary("helm").toString());
    cmd.addAll(
        List.of(
            "template",
            "peerrelay",
            CHART.toString(),
            "--namespace",
            "peerrelay-system",
            "--show-only",
            "templates/rbac.yaml"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", cmd, out).isZero();
    return Stream.of(out.split("(?m)^---$"))
        .filter(d -> d.contains("kind:"))
        .map(d -> (HasMetadata) JSON.unmarshal(d))
        .toList();
  }
}
