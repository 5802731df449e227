package io.peerrelay.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.api.StaticEndpoint;
import io.peerrelay.operator.desired.RelayConfigMap;
import io.peerrelay.operator.desired.RelayService;
import io.peerrelay.operator.desired.RelayStatefulSet;
import io.peerrelay.operator.observe.DiscoKeys;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every manifest in examples/ reads into the operator's Java types without unknown fields, and
 * every PeerRelay in them builds all its children (the API-server IT applies them for real).
 */
class ExamplesTest {

  private static final Path EXAMPLES = ToolPaths.projectRoot().resolve("examples");

  // Strict: a misspelt field fails here instead of being dropped by the API server's pruning.
  private static final ObjectMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  static Stream<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .sorted()
          .toList()
          .stream();
    }
  }

  static List<HasMetadata> read(Path file) throws IOException {
    List<HasMetadata> out = new ArrayList<>();
    YAMLParser parser = new YAMLFactory().createParser(file.toFile());
    ObjectMapper yaml = new ObjectMapper();
    for (JsonNode doc : yaml.readValues(parser, JsonNode.class).readAll()) {
      String kind = doc.path("kind").asText();
      Class<? extends HasMetadata> type =
          switch (kind) {
            case "PeerRelay" -> PeerRelay.class;
            case "RelayGrant" -> RelayGrant.class;
            case "Secret" -> Secret.class;
            default -> throw new AssertionError(file + ": unexpected kind " + kind);
          };
      HasMetadata resource = STRICT.treeToValue(doc, type);
      assertThat(resource.getApiVersion()).isEqualTo(doc.path("apiVersion").asText());
      out.add(resource);
    }
    return out;
  }

  @Test
  void examplesExistForEveryExposureModeAndForGrants() throws IOException {
    Set<String> modes = new java.util.TreeSet<>();
    boolean grant = false;
    boolean tailnet = false;
    for (Path file : exampleFiles().toList()) {
      for (HasMetadata r : read(file)) {
        if (r instanceof PeerRelay relay) {
          modes.add(relay.getSpec().getExposure().getType().name());
          tailnet |= relay.getSpec().getTailnet() != null;
        }
        grant |= r instanceof RelayGrant;
      }
    }
    assertThat(modes).containsExactlyInAnyOrder("AWSNLB", "LoadBalancer", "NodeAddress", "None");
    assertThat(grant).isTrue();
    assertThat(tailnet).as("a tailnet-mode example").isTrue();
  }

  @ParameterizedTest
  @MethodSource("exampleFiles")
  void exampleReadsIntoTheJavaTypesAndItsRelaysBuild(Path file) throws IOException {
    List<HasMetadata> resources = read(file);
    assertThat(resources).as(file.toString()).isNotEmpty();
    for (HasMetadata r : resources) {
      assertThat(r.getMetadata().getName()).isNotBlank();
      // Examples are applied with -n; a namespace in the file would fight that.
      assertThat(r.getMetadata().getNamespace()).isNull();
      if (r instanceof PeerRelay relay) {
        r.getMetadata().setNamespace("examples");
        assertRelayBuilds(relay);
      } else if (r instanceof RelayGrant grant) {
        assertGrantIsWellFormed(grant);
      }
    }
  }

  private static void assertRelayBuilds(PeerRelay relay) {
    var spec = relay.getSpec();
    assertThat(spec.getUdpPort()).isNotEqualTo(spec.getHttpPort());
    var eips = spec.getExposure().getElasticIPs();
    assertThat(eips.isEmpty() || eips.size() >= spec.getReplicas()).isTrue();
    for (StaticEndpoint s : spec.getStaticEndpoints()) {
      assertThat(s.getAddress()).matches(StaticEndpoint.ADDRESS_PATTERN);
      Endpoint.parse(s.getAddress());
    }
    for (int i = 0; i < spec.getReplicas(); i++) {
      assertThat(RelayStatefulSet.relayStatefulSet(relay, i, "relay:test")).isNotNull();
      RelayService.desired(relay, i).ifPresent(d -> assertThat(d.overridden()).isEmpty());
      assertThat(RelayConfigMap.relayConfigMap(relay, i, List.of(), List.of()).getData())
          .containsKey("relay.yaml");
    }
  }

  private static void assertGrantIsWellFormed(RelayGrant grant) {
    assertThat(grant.getSpec().getSrc()).isNotEmpty();
    assertThat(grant.getSpec().getDst().getSelector()).isNotNull();
    for (GrantSource s : grant.getSpec().getSrc()) {
      assertThat(s.getClientKeys() == null).isNotEqualTo(s.getSecretRef() == null);
      if (s.getClientKeys() != null) {
        assertThat(s.getClientKeys()).allMatch(DiscoKeys::isPublicKey);
      }
    }
  }
}
