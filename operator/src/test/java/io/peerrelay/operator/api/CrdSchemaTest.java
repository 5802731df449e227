package io.peerrelay.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.peerrelay.operator.desired.Names;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated CRDs carry what users and the API server rely on: docs, defaults, CEL, list-maps.
 */
class CrdSchemaTest {

  // Kubernetes' own types embedded in our spec: their fields are documented upstream.
  private static final Set<String> UPSTREAM_TYPES =
      Set.of(
          ".spec.resources", ".spec.tolerations", ".spec.imagePullSecrets", ".spec.dst.selector");

  private static final Map<String, CustomResourceDefinitionVersion> PARSED =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The CRD's only version, parsed once per file (parsing dominates this test's time). */
  static CustomResourceDefinitionVersion version(String file) throws IOException {
    CustomResourceDefinitionVersion cached = PARSED.get(file);
    if (cached == null) {
      cached = parse(file);
      PARSED.put(file, cached);
    }
    return cached;
  }

  private static CustomResourceDefinitionVersion parse(String file) throws IOException {
    try (InputStream in = CrdSchemaTest.class.getResourceAsStream("/META-INF/fabric8/" + file)) {
      assertThat(in).as(file).isNotNull();
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      assertThat(crd.getSpec().getVersions()).hasSize(1);
      return crd.getSpec().getVersions().get(0);
    }
  }

  static JSONSchemaProps at(String file, String path) throws IOException {
    JSONSchemaProps props = version(file).getSchema().getOpenAPIV3Schema();
    for (String name : path.isEmpty() ? new String[0] : path.substring(1).split("\\.")) {
      props = name.equals("[]") ? props.getItems().getSchema() : props.getProperties().get(name);
      assertThat(props).as("%s in %s", path, file).isNotNull();
    }
    return props;
  }

  @ParameterizedTest
  @ValueSource(strings = {"peerrelays.peerrelay.io-v1.yml", "relaygrants.peerrelay.io-v1.yml"})
  void everyOwnFieldHasADescription(String file) throws IOException {
    List<String> undocumented = new ArrayList<>();
    JSONSchemaProps root = version(file).getSchema().getOpenAPIV3Schema();
    collectUndocumented(".spec", root.getProperties().get("spec"), undocumented);
    collectUndocumented(".status", root.getProperties().get("status"), undocumented);
    assertThat(undocumented).as("fields without @JsonPropertyDescription").isEmpty();
  }

  private static void collectUndocumented(String path, JSONSchemaProps p, List<String> out) {
    if (UPSTREAM_TYPES.contains(path)) {
      return;
    }
    if (p.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : p.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        if (e.getValue().getDescription() == null || e.getValue().getDescription().isBlank()) {
          out.add(child);
        }
        collectUndocumented(child, e.getValue(), out);
      }
    }
    if (p.getItems() != null && p.getItems().getSchema() != null) {
      collectUndocumented(path, p.getItems().getSchema(), out);
    }
  }

  static Stream<Arguments> celRules() {
    return Stream.of(
        Arguments.of("peerrelays.peerrelay.io-v1.yml", ".spec.exposure.type", "self == oldSelf"),
        Arguments.of("peerrelays.peerrelay.io-v1.yml", "", "size(self.metadata.name) <= 49"),
        Arguments.of(
            "peerrelays.peerrelay.io-v1.yml",
            "",
            "self.metadata.name.matches('" + Names.RELAY_NAME_PATTERN + "')"),
        Arguments.of(
            "peerrelays.peerrelay.io-v1.yml",
            ".spec",
            "size(self.exposure.elasticIPs) >= self.replicas"),
        Arguments.of("peerrelays.peerrelay.io-v1.yml", ".spec", "self.udpPort != self.httpPort"),
        Arguments.of(
            "peerrelays.peerrelay.io-v1.yml",
            ".spec.exposure.elasticIPs.[]",
            "has(self.subnetID) && has(self.zone)"),
        Arguments.of(
            "relaygrants.peerrelay.io-v1.yml",
            ".spec.src.[]",
            "has(self.clientKeys) != has(self.secretRef)"));
  }

  @ParameterizedTest
  @MethodSource("celRules")
  void celRuleIsInTheSchemaWithAMessage(String file, String path, String ruleFragment)
      throws IOException {
    List<ValidationRule> rules = at(file, path).getXKubernetesValidations();
    assertThat(rules).as("x-kubernetes-validations at %s", path).isNotNull();
    assertThat(rules)
        .anySatisfy(
            r -> {
              assertThat(r.getRule()).contains(ruleFragment);
              assertThat(r.getMessage()).isNotBlank();
            });
  }

  static Stream<Arguments> listMaps() {
    return Stream.of(
        Arguments.of("peerrelays.peerrelay.io-v1.yml", ".status.endpoints", "replica,address"),
        Arguments.of("peerrelays.peerrelay.io-v1.yml", ".status.conditions", "type"),
        Arguments.of("peerrelays.peerrelay.io-v1.yml", ".status.replicaStatuses", "index"),
        Arguments.of("relaygrants.peerrelay.io-v1.yml", ".status.conditions", "type"));
  }

  @ParameterizedTest
  @MethodSource("listMaps")
  void statusListsAreListMapsWithRequiredKeys(String file, String path, String keys)
      throws IOException {
    JSONSchemaProps list = at(file, path);
    assertThat(list.getXKubernetesListType()).isEqualTo("map");
    assertThat(String.join(",", list.getXKubernetesListMapKeys())).isEqualTo(keys);
    // The API server rejects a list-map whose keys are neither required nor defaulted.
    assertThat(list.getItems().getSchema().getRequired()).containsAll(List.of(keys.split(",")));
  }

  static Stream<Arguments> defaults() {
    return Stream.of(
        Arguments.of(".spec.replicas", "1"),
        Arguments.of(".spec.udpPort", "40000"),
        Arguments.of(".spec.httpPort", "9090"),
        Arguments.of(".spec.exposure.type", "\"AWSNLB\""),
        Arguments.of(".spec.exposure.crossZone", "true"),
        Arguments.of(".spec.exposure.nodeAddressType", "\"ExternalIP\""),
        Arguments.of(".spec.lifetimes.steadyState", "\"5m\""),
        Arguments.of(".spec.limits.maxSessions", "100000"));
  }

  @ParameterizedTest
  @MethodSource("defaults")
  void peerRelayDefaultsAreInTheSchema(String path, String json) throws IOException {
    assertThat(at("peerrelays.peerrelay.io-v1.yml", path).getDefault()).hasToString(json);
  }

  @Test
  void peerRelayHasScaleAndStatusSubresourcesAndPrinterColumns() throws IOException {
    CustomResourceDefinitionVersion v = version("peerrelays.peerrelay.io-v1.yml");
    assertThat(v.getSubresources().getStatus()).isNotNull();
    assertThat(v.getSubresources().getScale().getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(v.getSubresources().getScale().getStatusReplicasPath())
        .isEqualTo(".status.replicas");
    assertThat(v.getSubresources().getScale().getLabelSelectorPath()).isEqualTo(".status.selector");
    assertThat(v.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder(
            "Ready", "Reason", "Replicas", "Ready Replicas", "Endpoints", "Exposure", "Age");
    // Exposure only with -o wide: the default listing keeps its width.
    assertThat(v.getAdditionalPrinterColumns())
        .filteredOn(c -> c.getPriority() != null && c.getPriority() > 0)
        .extracting(c -> c.getName())
        .containsExactly("Exposure");
  }
}
