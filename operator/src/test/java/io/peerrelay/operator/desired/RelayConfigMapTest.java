package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.peerrelay.operator.api.Lifetimes;
import io.peerrelay.operator.api.Limits;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.Tailnet;
import io.peerrelay.operator.api.TailnetAuthKeyRef;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator renders exactly the golden relay configs that the relay's own tests parse (the
 * golden files' leading comment lines document them and are not part of the rendering).
 */
class RelayConfigMapTest {

  private static final Path GOLDEN =
      Path.of("relay-pod", "src", "test", "resources", "golden", "relay-config");

  private static String golden(String file) throws IOException {
    String text =
        Files.readString(
            ToolPaths.projectRoot().resolve(GOLDEN).resolve(file), StandardCharsets.UTF_8);
    return text.lines().dropWhile(line -> line.startsWith("#")).collect(Collectors.joining("\n"))
        + "\n";
  }

  private static String rendered(ConfigMap configMap) {
    return configMap.getData().get("relay.yaml");
  }

  @Test
  void firstConfigOfANewReplicaIsTheMinimalGolden() throws IOException {
    ConfigMap cm = RelayConfigMap.relayConfigMap(Relays.relay(), 0, List.of(), Set.of());
    assertThat(rendered(cm)).isEqualTo(golden("minimal.yaml"));
  }

  @Test
  void everyFieldRendersAsTheFullGolden() throws IOException {
    PeerRelay relay =
        Relays.relay(
            s -> {
              s.setLifetimes(new Lifetimes());
              s.setLimits(new Limits());
              s.setDrain("10s");
            });
    ConfigMap cm =
        RelayConfigMap.relayConfigMap(
            relay,
            0,
            Stream.of("192.0.2.10:40000", "198.51.100.7:40000", "[2001:db8::10]:40000")
                .map(Endpoint::parse)
                .toList(),
            // Unsorted and repeated on purpose: the rendering sorts and de-duplicates.
            List.of(
                "discokey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                "discokey:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                "discokey:de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
    assertThat(rendered(cm)).isEqualTo(golden("full.yaml"));
  }

  @Test
  void tailnetModeRendersAsTheTailnetGolden() throws IOException {
    PeerRelay relay =
        Relays.relay(
            s -> {
              Tailnet t = new Tailnet();
              t.setAuthKeySecretRef(new TailnetAuthKeyRef("office-tailnet-auth", null));
              t.setTags(List.of("tag:peer-relay"));
              s.setTailnet(t);
            });
    ConfigMap cm =
        RelayConfigMap.relayConfigMap(
            relay, 0, List.of(Endpoint.parse("192.0.2.10:40000")), List.of());
    assertThat(rendered(cm)).isEqualTo(golden("tailnet.yaml"));
  }

  @Test
  void tailnetHostnameUsesThePrefixAndTheReplicaIndex() {
    Tailnet t = new Tailnet();
    t.setAuthKeySecretRef(new TailnetAuthKeyRef("auth", "key"));
    t.setHostnamePrefix("edge");
    t.setControlUrl("https://headscale.example.net");
    PeerRelay relay = Relays.relay(s -> s.setTailnet(t));
    assertThat(rendered(RelayConfigMap.relayConfigMap(relay, 3, List.of(), List.of())))
        .contains("  controlUrl: https://headscale.example.net\n")
        .contains("  hostname: edge-3\n")
        .contains("  tags: []\n");
  }

  @Test
  void configMapIsTheReplicasOwnAndHasOnlyTheConfigKey() {
    ConfigMap cm = RelayConfigMap.relayConfigMap(Relays.relay(), 2, List.of(), Set.of());
    assertThat(cm.getMetadata().getName()).isEqualTo("office-2");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("relays");
    assertThat(Names.replicaIndex(cm)).hasValue(2);
    assertThat(cm.getData()).containsOnlyKeys("relay.yaml");
    assertThat(cm.getMetadata().getOwnerReferences()).singleElement();
  }

  @Test
  void renderingIsStableForTheSameInputs() {
    PeerRelay relay = Relays.relay(s -> s.setLimits(new Limits()));
    List<Endpoint> endpoints = List.of(Endpoint.parse("203.0.113.1:40000"));
    assertThat(RelayConfigMap.relayConfigMap(relay, 0, endpoints, Set.of("discokey:ab")))
        .isEqualTo(RelayConfigMap.relayConfigMap(relay, 0, endpoints, List.of("discokey:ab")));
  }
}
