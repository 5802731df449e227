package io.peerrelay.relay.tailnet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailnetStatusTest {
  private static final List<String> FIELDS =
      List.of(
          "enabled",
          "state",
          "message",
          "nodeName",
          "nodeKey",
          "tailscaleIPs",
          "online",
          "derpConnected",
          "homeDerp");

  private static List<String> names(JsonNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void theJsonHasExactlyTheAgreedFields() throws Exception {
    TailnetKey key = TailnetKey.node(new byte[32]);
    TailnetStatus s =
        new TailnetStatus(
            TailnetState.AUTH_KEY_MISSING,
            "put a key in /x",
            "office-0.tail.ts.net.",
            key,
            List.of(InetAddress.getByName("100.64.0.3"), InetAddress.getByName("fd7a:115c::3")),
            true,
            true,
            2);
    JsonNode o = new ObjectMapper().readTree(s.toJson());
    assertThat(names(o)).containsExactlyElementsOf(FIELDS);
    assertThat(o.get("enabled").asBoolean()).isTrue();
    assertThat(o.get("state").asText()).isEqualTo("AuthKeyMissing");
    assertThat(o.get("nodeKey").asText()).isEqualTo(key.toString());
    assertThat(o.get("tailscaleIPs").toString()).isEqualTo("[\"100.64.0.3\",\"fd7a:115c::3\"]");
    assertThat(o.get("homeDerp").asInt()).isEqualTo(2);

    JsonNode off = new ObjectMapper().readTree(TailnetStatus.disabledJson());
    assertThat(names(off)).containsExactlyElementsOf(FIELDS);
    assertThat(off.get("enabled").asBoolean()).isFalse();
  }
}
