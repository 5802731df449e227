package io.peerrelay.relay.tailnet.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ts2021 pieces that need no server: URL, upgrade, early payload, stream framing, JSON. */
class ControlWireTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void controlUrlsParseWithDefaultPortsAndRefusePaths() {
    assertThat(ControlUrl.parse("https://controlplane.tailscale.com"))
        .isEqualTo(new ControlUrl(true, "controlplane.tailscale.com", 443));
    assertThat(ControlUrl.parse("http://127.0.0.1:8080/").authority()).isEqualTo("127.0.0.1:8080");
    assertThat(ControlUrl.parse("https://[::1]:444").authority()).isEqualTo("[::1]:444");
    assertThatThrownBy(() -> ControlUrl.parse("ftp://x")).hasMessageContaining("https://");
    assertThatThrownBy(() -> ControlUrl.parse("https://x/api")).hasMessageContaining("no path");
  }

  @Test
  void theUpgradeRequestCarriesTheInitiationAndTheRestIsPassedOn() throws Exception {
    byte[] init = new byte[101];
    init[0] = 7;
    EmbeddedChannel ch = new EmbeddedChannel(new Ts2021UpgradeHandler("c.example:80", init));
    ByteBuf out = ch.readOutbound();
    String request = out.toString(StandardCharsets.US_ASCII);
    out.release();
    assertThat(request)
        .startsWith("POST /ts2021 HTTP/1.1\r\nHost: c.example:80\r\n")
        .contains("Upgrade: tailscale-control-protocol\r\n")
        .contains("X-Tailscale-Handshake: " + Base64.getEncoder().encodeToString(init) + "\r\n")
        .endsWith("\r\n\r\n");

    ch.writeInbound(ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: tailscale-control"));
    assertThat(ch.<ByteBuf>readInbound()).isNull();
    ch.writeInbound(ascii("-protocol\r\nConnection: upgrade\r\n\r\nNOISE"));
    ByteBuf rest = ch.readInbound();
    assertThat(rest.toString(StandardCharsets.US_ASCII)).isEqualTo("NOISE");
    rest.release();
    assertThat(ch.pipeline().get(Ts2021UpgradeHandler.class)).isNull();
  }

  @Test
  void anUpgradeRefusalNamesWhatTheServerSaid() {
    EmbeddedChannel ch = new EmbeddedChannel(new Ts2021UpgradeHandler("c", new byte[101]));
    ((ByteBuf) ch.readOutbound()).release();
    assertThatThrownBy(() -> ch.writeInbound(ascii("HTTP/1.1 404 Not Found\r\n\r\n")))
        .hasMessageContaining("HTTP/1.1 404 Not Found")
        .hasMessageContaining("want 101");
  }

  @Test
  void theEarlyPayloadIsSkippedAndHttp2PassesUntouched() {
    byte[] payload = "{\"nodeKeyChallenge\":\"chalpub:00\"}".getBytes(StandardCharsets.UTF_8);
    ByteBuf early = Unpooled.buffer();
    early.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 'T', 'S'});
    early.writeInt(payload.length);
    early.writeBytes(payload, 0, 10);
    EmbeddedChannel ch = new EmbeddedChannel(new EarlyPayloadSkipper());
    ch.writeInbound(early);
    ByteBuf tail = Unpooled.buffer();
    tail.writeBytes(payload, 10, payload.length - 10);
    tail.writeBytes(ascii("PRI *"));
    ch.writeInbound(tail);
    ByteBuf after = ch.readInbound();
    assertThat(after.toString(StandardCharsets.US_ASCII)).isEqualTo("PRI *");
    after.release();

    EmbeddedChannel plain = new EmbeddedChannel(new EarlyPayloadSkipper());
    plain.writeInbound(ascii("\0\0\022\4\0\0\0\0\0SETTINGS"));
    ByteBuf first = plain.readInbound();
    ByteBuf second = plain.readInbound();
    assertThat(first.readableBytes() + (second == null ? 0 : second.readableBytes())).isEqualTo(17);
    first.release();
    if (second != null) {
      second.release();
    }
  }

  @Test
  void mapStreamFramesSplitAnywhereAndOversizeIsRefused() throws Exception {
    MapStreamDecoder d = new MapStreamDecoder(100);
    byte[] stream = {3, 0, 0, 0, 'a', 'b', 'c', 1, 0, 0, 0, 'z'};
    assertThat(d.feed(stream, 0, 5)).isEmpty();
    List<byte[]> out = d.feed(stream, 5, stream.length - 5);
    assertThat(out).hasSize(2);
    assertThat(new String(out.get(0), StandardCharsets.US_ASCII)).isEqualTo("abc");
    assertThat(new String(out.get(1), StandardCharsets.US_ASCII)).isEqualTo("z");
    byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(() -> new MapStreamDecoder(100).feed(huge, 0, 4))
        .hasMessageContaining("over the 100-byte limit");
  }

  @Test
  void requestsUseTailcfgFieldNamesAndNoCompression() throws Exception {
    TailnetKey node = TailnetPrivateKey.generate().publicKey(TailnetKey.Kind.NODE);
    TailnetKey old = TailnetPrivateKey.generate().publicKey(TailnetKey.Kind.NODE);
    ControlRequests.Hostinfo hi =
        new ControlRequests.Hostinfo("office-0", List.of("tag:peer-relay"), "peerrelay-1", 2);
    JsonNode reg = JSON.readTree(ControlRequests.register(node, old, "tskey-x", hi));
    assertThat(reg.get("Version").asInt()).isEqualTo(ControlProtocol.CAPABILITY_VERSION);
    assertThat(reg.get("NodeKey").asText()).isEqualTo(node.toString());
    assertThat(reg.get("OldNodeKey").asText()).isEqualTo(old.toString());
    assertThat(reg.at("/Auth/AuthKey").asText()).isEqualTo("tskey-x");
    assertThat(reg.at("/Hostinfo/Hostname").asText()).isEqualTo("office-0");
    assertThat(reg.at("/Hostinfo/RequestTags/0").asText()).isEqualTo("tag:peer-relay");
    assertThat(reg.at("/Hostinfo/NetInfo/PreferredDERP").asInt()).isEqualTo(2);
    JsonNode fresh = JSON.readTree(ControlRequests.register(node, null, null, hi));
    assertThat(fresh.get("OldNodeKey").asText()).isEqualTo("nodekey:" + "0".repeat(64));
    assertThat(fresh.has("Auth")).isFalse();

    DiscoPublicKey disco = DiscoPrivateKey.generate().publicKey();
    List<InetSocketAddress> eps = List.of(new InetSocketAddress("192.0.2.10", 40000));
    JsonNode poll = JSON.readTree(ControlRequests.map(node, disco, eps, hi, true));
    assertThat(poll.get("Stream").asBoolean()).isTrue();
    assertThat(poll.get("KeepAlive").asBoolean()).isTrue();
    assertThat(poll.get("OmitPeers").asBoolean()).isFalse();
    assertThat(poll.get("DiscoKey").asText()).isEqualTo(disco.toString());
    assertThat(poll.get("Endpoints").get(0).asText()).isEqualTo("192.0.2.10:40000");
    assertThat(poll.has("Compress")).isFalse();
    JsonNode lite = JSON.readTree(ControlRequests.map(node, disco, eps, hi, false));
    assertThat(lite.get("Stream").asBoolean()).isFalse();
    assertThat(lite.get("OmitPeers").asBoolean()).isTrue();
  }

  @Test
  void registerAnswersAndKeyAnswersAreRead() throws Exception {
    RegisterResult ok =
        RegisterResult.parse(
            "{\"MachineAuthorized\":true,\"Login\":{\"LoginName\":\"a@b\"}}".getBytes());
    assertThat(ok.ok()).isTrue();
    assertThat(ok.loginName()).isEqualTo("a@b");
    assertThat(RegisterResult.parse("{\"Error\":\"invalid authkey\"}".getBytes()).ok()).isFalse();
    assertThatThrownBy(() -> RegisterResult.parse("[]".getBytes())).hasMessageContaining("object");

    ControlUrl url = ControlUrl.parse("http://127.0.0.1:1");
    String key = "mkey:" + "12".repeat(32);
    assertThat(
            ControlKeyFetcher.parse(
                url,
                ("{\"legacyPublicKey\":\"" + key + "\",\"publicKey\":\"" + key + "\"}").getBytes()))
        .isEqualTo(TailnetKey.parse(TailnetKey.Kind.MACHINE, key));
    assertThatThrownBy(() -> ControlKeyFetcher.parse(url, "{}".getBytes()))
        .hasMessageContaining("ts2021");
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
  }
}
