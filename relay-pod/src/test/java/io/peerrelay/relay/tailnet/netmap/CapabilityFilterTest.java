package io.peerrelay.relay.tailnet.netmap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CapGrant semantics as in Tailscale's wgengine/filter and magicsock nodeHasCap. */
class CapabilityFilterTest {
  private static final String RELAY = CapabilityFilter.RELAY_CAPABILITY;

  private static CapabilityFilter filter(String rulesJson) throws Exception {
    List<JsonNode> rules = new ArrayList<>();
    new ObjectMapper().readTree(rulesJson.replace('\'', '"')).forEach(rules::add);
    return CapabilityFilter.fromRules(rules);
  }

  private static boolean has(CapabilityFilter f, String src, String dst) throws Exception {
    return f.hasCapability(InetAddress.getByName(src), InetAddress.getByName(dst), RELAY);
  }

  @Test
  void everySourceFormMatchesWhatItNames() throws Exception {
    CapabilityFilter f =
        filter(
            "[{'SrcIPs':['100.64.0.1','100.64.1.0/24','100.64.2.10-100.64.2.20','fd7a::1',"
                + "'cap:some-node-cap'],"
                + "'CapGrant':[{'Dsts':['100.64.0.9/32','fd7a::9/128'],'Caps':['"
                + RELAY
                + "']}]}]");
    assertThat(has(f, "100.64.0.1", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.0.2", "100.64.0.9")).isFalse();
    assertThat(has(f, "100.64.1.255", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.2.10", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.2.20", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.2.21", "100.64.0.9")).isFalse();
    assertThat(has(f, "fd7a::1", "fd7a::9")).isTrue();
    assertThat(has(f, "100.64.0.1", "100.64.0.8")).as("destination outside Dsts").isFalse();
    // A cross-family question is answered by the rules as Go's CapsWithValues does (the Dsts
    // prefix decides); peerHasCapability only ever asks same-family pairs.
    assertThat(has(f, "fd7a::1", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.0.1", "fd7a::8")).isFalse();
    assertThat(
            f.hasCapability(
                InetAddress.getByName("100.64.0.1"), InetAddress.getByName("100.64.0.9"), "other"))
        .isFalse();
  }

  @Test
  void starCoversBothFamiliesAndCapMapKeysGrant() throws Exception {
    CapabilityFilter f =
        filter(
            "[{'SrcIPs':['*'],'CapGrant':[{'Dsts':['0.0.0.0/0','::/0'],'CapMap':{'"
                + RELAY
                + "':null}}]}]");
    assertThat(has(f, "1.2.3.4", "100.64.0.9")).isTrue();
    assertThat(has(f, "2001:db8::1", "fd7a::9")).isTrue();
  }

  @Test
  void badEntriesAreSkippedAndTheRestOfTheRuleStillApplies() throws Exception {
    CapabilityFilter f =
        filter(
            "[{'SrcIPs':['not-an-ip','100.64.0.1/16','100.64.0.5-100.64.0.1','100.64.0.1'],"
                + "'CapGrant':[{'Dsts':['bogus','100.64.0.9/32'],'Caps':['"
                + RELAY
                + "']}]},{'SrcIPs':['*'],'DstPorts':[{'IP':'*','Ports':{'First':0,'Last':65535}}]}]");
    assertThat(f.skipped()).isEqualTo(4);
    assertThat(f.ruleCount()).as("a rule without CapGrant grants nothing").isEqualTo(1);
    assertThat(has(f, "100.64.0.1", "100.64.0.9")).isTrue();
    assertThat(has(f, "100.64.0.2", "100.64.0.9")).isFalse();
  }

  @Test
  void aPeerIsCheckedByItsFirstHostAddressAgainstOursOfTheSameFamily() throws Exception {
    CapabilityFilter onlyV6 =
        filter(
            "[{'SrcIPs':['fd7a::2'],'CapGrant':[{'Dsts':['fd7a::1/128'],'Caps':['"
                + RELAY
                + "']}]}]");
    NetMapNode self = node(1, "100.64.0.1/32", "fd7a::1/128");
    NetMapNode peerV4First = node(2, "10.0.0.0/8", "100.64.0.2/32", "fd7a::2/128");
    NetMapNode peerV6Only = node(3, "fd7a::2/128");
    NetMap map = NetMap.of(self, List.of(peerV4First, peerV6Only), DerpMap.EMPTY, onlyV6);
    assertThat(map.peerHasCapability(peerV4First, RELAY))
        .as("decided on the first family both have (IPv4), as nodeHasCap does")
        .isFalse();
    assertThat(map.peerHasCapability(peerV6Only, RELAY)).isTrue();
    assertThat(map.peerHasCapability(null, RELAY)).isFalse();
  }

  private static NetMapNode node(long id, String... addresses) {
    byte[] raw = new byte[32];
    raw[0] = (byte) id;
    return new NetMapNode(
        id,
        "",
        "n" + id,
        TailnetKey.node(raw),
        null,
        java.util.Arrays.stream(addresses).map(IpPrefix::parse).toList(),
        121,
        0,
        null,
        null);
  }
}
