package io.peerrelay.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD refuses what the relay would refuse in relay.yaml, read from the relay's own parser
 * sources, so a PeerRelay the API server accepts never yields a config the relay rejects at start.
 */
class RelayContractTest {

  private static final String CRD = "peerrelays.peerrelay.io-v1.yml";

  private static String relaySource(String file) throws IOException {
    Path p =
        ToolPaths.projectRoot()
            .resolve("relay-pod/src/main/java/io/peerrelay/relay/config")
            .resolve(file);
    assertThat(p).as("the relay's config parser").isRegularFile();
    return Files.readString(p);
  }

  @Test
  void staticEndpointsAreCappedAtWhatTheRelayAdvertises() throws IOException {
    Matcher m =
        Pattern.compile("int MAX_ENDPOINTS = (\\d+);").matcher(relaySource("RelayConfig.java"));
    assertThat(m.find()).as("RelayConfig.MAX_ENDPOINTS").isTrue();
    int relayMax = Integer.parseInt(m.group(1));
    assertThat(PeerRelaySpec.MAX_RELAY_ENDPOINTS).isEqualTo(relayMax);
    JSONSchemaProps statics = CrdSchemaTest.at(CRD, ".spec.staticEndpoints");
    assertThat(statics.getMaxItems()).isEqualTo((long) relayMax);
  }

  @ParameterizedTest
  @ValueSource(strings = {"bind", "steadyState", "gcInterval"})
  void lifetimesTheRelayRefusesAtZeroMustBePositive(String field) throws IOException {
    // The parser reads lifetimes.<field> with zeroAllowed=false.
    assertThat(relaySource("RelayConfigParser.java"))
        .containsPattern(
            "duration\\(\\s*lifetimes,\\s*\"lifetimes\\." + field + "\",[^;]*,\\s*false\\)");
    JSONSchemaProps props = CrdSchemaTest.at(CRD, ".spec.lifetimes." + field);
    assertThat(props.getXKubernetesValidations())
        .as("CEL on spec.lifetimes.%s", field)
        .anySatisfy(r -> assertThat(r.getRule()).isEqualTo(PeerRelaySpec.POSITIVE_DURATION_RULE));
  }
}
