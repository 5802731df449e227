package io.peerrelay.relay.tailnet.netmap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.io.InputStream;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Full and delta MapResponses; the full one is what Tailscale's testcontrol (v1.102.3) sent, see
 * tailnet-vectors/testcontrol-mapresponse.json (made with e2e/go/cmd/testcontrol's map command).
 */
class MapSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PEER_KEY =
      "nodekey:19a3c385b860d13132ad8228631eec37d2818e1eef62ef4db03d8841415ee02e";
  private static final String PEER_DISCO =
      "discokey:c93835b58a512770a9362b676bb2f82453d68afefb62d6b875505c7e95050910";
  private static final long PEER_ID = 106345634439961L;
  private static final String OTHER_DISCO = "discokey:" + "ab".repeat(32);

  private static JsonNode captured() throws Exception {
    try (InputStream in =
        MapSessionTest.class.getResourceAsStream("/tailnet-vectors/testcontrol-mapresponse.json")) {
      return JSON.readTree(in);
    }
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  void aRealFullMapResponseGivesSelfPeersDerpMapAndGrants() throws Exception {
    NetMap map = new MapSession().apply(captured());

    NetMapNode self = map.self();
    assertThat(self.name()).isEqualTo("peer-075e.tail-test.ts.net.");
    assertThat(self.nodeKey().toString()).startsWith("nodekey:93f0efbb");
    assertThat(self.tailscaleIps())
        .containsExactly(
            InetAddress.getByName("100.64.240.147"),
            InetAddress.getByName("fd7a:115c:a1e0:ab12:4843:cd96:6240:f093"));
    assertThat(self.keyExpiry()).isNull();

    assertThat(map.peersByNodeKey()).hasSize(2);
    NetMapNode peer = map.peer(TailnetKey.parse(TailnetKey.Kind.NODE, PEER_KEY));
    assertThat(peer.id()).isEqualTo(PEER_ID);
    assertThat(peer.name()).isEqualTo("peer-5b0d.tail-test.ts.net.");
    assertThat(peer.capabilityVersion()).isEqualTo(142);
    assertThat(peer.homeDerp()).isEqualTo(2);
    assertThat(peer.isOnline()).isTrue();
    assertThat(map.peerByDisco(DiscoPublicKey.parse(PEER_DISCO))).isSameAs(peer);

    assertThat(map.derpMap().regions().keySet()).containsExactly(1, 2);
    DerpNode derp = map.derpMap().region(2).nodes().get(0);
    assertThat(derp)
        .isEqualTo(
            new DerpNode(
                "2a", 2, "derp.test", "derp.test", "127.0.0.1", "none", -1, false, 3340, true));
    assertThat(map.derpMap().region(1).nodes().get(0).stunOnly()).isTrue();
    assertThat(map.derpMap().defaultHomeRegion()).as("region 1 is STUN-only").isEqualTo(2);

    assertThat(map.peerHasCapability(peer, CapabilityFilter.RELAY_CAPABILITY)).isTrue();
    assertThat(map.peerHasCapability(peer, "tailscale.com/cap/relay-target")).isTrue();
    assertThat(map.peerHasCapability(peer, "tailscale.com/cap/other")).isFalse();
  }

  @Test
  void deltasAddPatchAndRemovePeers() throws Exception {
    MapSession session = new MapSession();
    session.apply(captured());
    ObjectNode added = (ObjectNode) captured().get("Peers").get(0).deepCopy();
    added.put("ID", 77).put("Key", "nodekey:" + "77".repeat(32)).put("DiscoKey", OTHER_DISCO);
    NetMap map =
        session.apply(
            JSON.createObjectNode().set("PeersChanged", JSON.createArrayNode().add(added)));
    assertThat(map.peersByNodeKey()).hasSize(3);
    assertThat(map.peer(TailnetKey.parse(TailnetKey.Kind.NODE, "nodekey:" + "77".repeat(32))).id())
        .isEqualTo(77);

    String newDisco = "discokey:" + "cd".repeat(32);
    map =
        session.apply(
            json(
                "{'PeersChangedPatch':[{'NodeID':"
                    + PEER_ID
                    + ",'DiscoKey':'"
                    + newDisco
                    + "','DERPRegion':9,'Cap':125}],'OnlineChange':{'77':false}}"));
    NetMapNode patched = map.peer(TailnetKey.parse(TailnetKey.Kind.NODE, PEER_KEY));
    assertThat(patched.discoKey()).isEqualTo(DiscoPublicKey.parse(newDisco));
    assertThat(patched.homeDerp()).isEqualTo(9);
    assertThat(patched.capabilityVersion()).isEqualTo(125);
    assertThat(patched.name()).isEqualTo("peer-5b0d.tail-test.ts.net.");
    assertThat(map.peerByDisco(DiscoPublicKey.parse(PEER_DISCO))).isNull();
    assertThat(map.peerByDisco(DiscoPublicKey.parse(newDisco))).isEqualTo(patched);
    assertThat(map.peerByDisco(DiscoPublicKey.parse(OTHER_DISCO)).isOnline()).isFalse();

    map = session.apply(json("{'PeersRemoved':[77," + PEER_ID + "],'PeerSeenChange':{'1':true}}"));
    assertThat(map.peersByNodeKey()).hasSize(1);
    assertThat(map.self().name())
        .as("self is kept when Node is absent")
        .isEqualTo("peer-075e.tail-test.ts.net.");
  }

  @Test
  void absentFieldsMeanUnchangedAndKeepAlivesChangeNothing() throws Exception {
    MapSession session = new MapSession();
    NetMap first = session.apply(captured());
    assertThat(session.apply(json("{'KeepAlive':true}"))).isNull();
    NetMap next = session.apply(json("{'DERPMap':{'HomeParams':{}},'Health':[]}"));
    assertThat(next.derpMap()).isEqualTo(first.derpMap());
    assertThat(next.peersByNodeKey()).isEqualTo(first.peersByNodeKey());
    NetMapNode peer = next.peer(TailnetKey.parse(TailnetKey.Kind.NODE, PEER_KEY));
    assertThat(next.peerHasCapability(peer, CapabilityFilter.RELAY_CAPABILITY)).isTrue();

    NetMap empty = session.apply(json("{'Peers':[],'DERPMap':{'Regions':{'5':null}}}"));
    assertThat(empty.peersByNodeKey()).isEmpty();
    assertThat(empty.derpMap().regions()).isEmpty();
  }

  @Test
  void namedPacketFiltersSetDeleteAndClear() throws Exception {
    MapSession session = new MapSession();
    NetMap map = session.apply(captured());
    NetMapNode peer = map.peer(TailnetKey.parse(TailnetKey.Kind.NODE, PEER_KEY));
    String grant =
        "[{'SrcIPs':['100.64.91.13'],'CapGrant':[{'Dsts':['100.64.240.147/32'],"
            + "'CapMap':{'example.com/cap/x':[{'a':1}]}}]}]";

    map = session.apply(json("{'PacketFilters':{'*':null,'extra':" + grant + "}}"));
    assertThat(map.peerHasCapability(peer, CapabilityFilter.RELAY_CAPABILITY))
        .as("'*': null dropped the base chunk")
        .isFalse();
    assertThat(map.peerHasCapability(peer, "example.com/cap/x")).isTrue();

    map = session.apply(json("{'PacketFilters':{'extra':null}}"));
    assertThat(map.peerHasCapability(peer, "example.com/cap/x")).isFalse();

    map = session.apply(json("{'PacketFilter':[]}"));
    assertThat(map.filter().ruleCount()).isZero();
  }

  @Test
  void aBadPeerIsLeftOutAndTheFirstResponseNeedsSelf() throws Exception {
    MapSession session = new MapSession();
    session.apply(captured());
    NetMap map = session.apply(json("{'PeersChanged':[{'ID':5,'Key':'nodekey:zz'}]}"));
    assertThat(map.peersByNodeKey()).hasSize(2);
    assertThat(session.problems()).singleElement().asString().contains("peer 5 left out");

    assertThatThrownBy(() -> new MapSession().apply(json("{'Peers':[]}")))
        .hasMessageContaining("no Node");
  }
}
