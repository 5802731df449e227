package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.operator.observe.DiscoKeys;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TailnetStateSecretTest {

  private static String text(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII);
  }

  @Test
  void holdsTwoDistinctClampedPrivateKeysOneLineEachWithTheirPublicKeysAnnotated() {
    Secret s = TailnetStateSecret.tailnetStateSecret(Relays.relay(), 2, new SecureRandom());
    assertThat(s.getMetadata().getName()).isEqualTo("office-2-tailnet");
    assertThat(Names.replicaIndex(s)).hasValue(2);
    assertThat(s.getData()).containsOnlyKeys("machine.key", "node.key");
    String machine = text(s, "machine.key");
    String node = text(s, "node.key");
    assertThat(machine).matches("privkey:[0-9a-f]{64}\n").isNotEqualTo(node);
    assertThat(node).matches("privkey:[0-9a-f]{64}\n");
    for (String key : new String[] {machine, node}) {
      byte[] raw = HexFormat.of().parseHex(key.strip().substring("privkey:".length()));
      assertThat(raw[0] & 7).isZero();
      assertThat(raw[31] & 0xc0).isEqualTo(0x40);
    }
    byte[] nodeRaw = HexFormat.of().parseHex(node.strip().substring(8));
    assertThat(s.getMetadata().getAnnotations())
        .containsEntry(
            "peerrelay.io/node-key",
            "nodekey:" + HexFormat.of().formatHex(RelayKeys.publicKey(nodeRaw)))
        .hasEntrySatisfying("peerrelay.io/machine-key", v -> assertThat(v).startsWith("mkey:"));
    assertThat(s.toString()).doesNotContain(DiscoKeys.PRIVATE_PREFIX);
  }
}
