package io.peerrelay.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Proves the test control plane is a real one: CEL validation and garbage collection work. */
@ExtendWith(ControlPlaneExtension.class)
class ControlPlaneIT {

  private static final ResourceDefinitionContext WIDGETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("test.peerrelay.io")
          .withVersion("v1")
          .withKind("Widget")
          .withPlural("widgets")
          .withNamespaced(true)
          .build();

  @Test
  void reportsARealKubeApiserverVersion(LocalControlPlane cp) {
    String expected = ToolPaths.locate().kubernetesVersion();
    System.out.println("[control-plane-it] kube-apiserver version " + cp.version());
    assertThat(cp.version()).isEqualTo(expected);
    assertThat(cp.kubeconfigPath()).exists();
  }

  @Test
  void celRuleRejectsInvalidObjectAndGarbageCollectionDeletesOwnedConfigMap(
      LocalControlPlane cp, KubernetesClient client) throws IOException {
    try (InputStream yaml = getClass().getResourceAsStream("/widgets-crd.yaml")) {
      assertThat(cp.applyCrds(List.of(yaml))).containsExactly("widgets.test.peerrelay.io");
    }

    var widgets = client.genericKubernetesResources(WIDGETS).inNamespace("default");

    assertThatThrownBy(() -> widgets.resource(widget("bad", 5, 1)).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.minSize must not be greater than spec.maxSize");

    GenericKubernetesResource owner = widgets.resource(widget("good", 1, 5)).create();
    assertThat(owner.getMetadata().getUid()).isNotBlank();

    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned-by-good")
                .withOwnerReferences(
                    new OwnerReferenceBuilder()
                        .withApiVersion("test.peerrelay.io/v1")
                        .withKind("Widget")
                        .withName("good")
                        .withUid(owner.getMetadata().getUid())
                        .build())
                .endMetadata()
                .withData(Map.of("k", "v"))
                .build())
        .create();

    widgets.withName("good").delete();

    // The garbage collector in kube-controller-manager must notice the missing owner and delete
    // the dependent; no test code deletes it.
    Awaitility.await("ConfigMap garbage-collected")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                client.configMaps().inNamespace("default").withName("owned-by-good").get() == null);
  }

  private static GenericKubernetesResource widget(String name, int min, int max) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("test.peerrelay.io/v1")
        .withKind("Widget")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", Map.of("minSize", min, "maxSize", max)))
        .build();
  }
}
