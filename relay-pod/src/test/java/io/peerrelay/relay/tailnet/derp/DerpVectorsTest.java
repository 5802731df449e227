package io.peerrelay.relay.tailnet.derp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.tailnet.TailnetVectors;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java DERP frames against the bytes Tailscale's derp package writes (derp.txt). */
class DerpVectorsTest {
  private static final TailnetPrivateKey CLIENT =
      TailnetPrivateKey.fromRaw(TailnetVectors.get("client_private"));
  private static final TailnetPrivateKey SERVER =
      TailnetPrivateKey.fromRaw(TailnetVectors.get("server_private"));
  private static final byte[] SERVER_PUBLIC = TailnetVectors.get("server_public");
  private static final NonceSource FIXED =
      n -> System.arraycopy(TailnetVectors.get("nonce"), 0, n, 0, 24);

  @Test
  void keysMatchTailscales() {
    assertThat(CLIENT.publicKey(TailnetKey.Kind.NODE).raw())
        .isEqualTo(TailnetVectors.get("client_public"));
    assertThat(SERVER.publicKey(TailnetKey.Kind.NODE).raw()).isEqualTo(SERVER_PUBLIC);
  }

  @Test
  void clientInfoFrameIsByteForByteTailscales() {
    assertThat(DerpFrame.CLIENT_INFO_JSON).isEqualTo(TailnetVectors.get("client_info_json"));
    assertThat(DerpFrame.clientInfo(CLIENT, SERVER_PUBLIC, FIXED))
        .isEqualTo(TailnetVectors.get("client_info_frame"));
  }

  @Test
  void realClientInfoOpensToTheSameJson() {
    byte[] frame = TailnetVectors.get("real_client_info_frame");
    byte[] ours = DerpFrame.clientInfo(CLIENT, SERVER_PUBLIC, NonceSource.random());
    // Header and client key are fixed; the box differs only by its random nonce.
    assertThat(Arrays.copyOf(ours, 37)).isEqualTo(Arrays.copyOf(frame, 37));
    byte[] box = Arrays.copyOfRange(frame, 37, frame.length);
    byte[] json =
        DerpFrame.boxKey(SERVER, CLIENT.publicKey(TailnetKey.Kind.NODE).raw())
            .open(box, 0, box.length);
    assertThat(json).isEqualTo(TailnetVectors.get("client_info_json"));
  }

  @Test
  void sendAndNotePreferredFramesMatch() {
    TailnetKey peer = TailnetKey.node(TailnetVectors.get("peer_public"));
    assertThat(DerpFrame.sendPacket(peer, "hello from client".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(TailnetVectors.get("send_packet_frame"));
    assertThat(DerpFrame.encode(DerpFrame.NOTE_PREFERRED, new byte[] {1}))
        .isEqualTo(TailnetVectors.get("note_preferred_frame"));
  }

  @Test
  void aWholeSessionFromTailscalesServerFrames() throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (String f :
        List.of(
            "server_key_frame",
            "server_info_frame",
            "keep_alive_frame",
            "ping_frame",
            "recv_packet_frame",
            "peer_gone_frame",
            "health_frame",
            "restarting_frame")) {
      wire.write(TailnetVectors.get(f));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Recorder events = new Recorder();
    DerpConnection c =
        new DerpConnection(
            new ByteArrayInputStream(wire.toByteArray()), out, () -> {}, CLIENT, "t");
    assertThat(c.login(FIXED)).isEqualTo(SERVER_PUBLIC);
    assertThatThrownBy(() -> c.readLoop(events)).isInstanceOf(IOException.class);
    TailnetKey peer = TailnetKey.node(TailnetVectors.get("peer_public"));
    assertThat(events.seen)
        .containsExactly(
            "loggedIn",
            "pinged",
            "packet " + peer + " hello from peer",
            "peerGone " + peer + " 1",
            "health overloaded",
            "restarting 1000 10000");
    byte[] clientInfo = TailnetVectors.get("client_info_frame");
    byte[] pong = TailnetVectors.get("pong_frame");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> out.size() >= clientInfo.length + pong.length);
    byte[] written = out.toByteArray();
    assertThat(Arrays.copyOf(written, clientInfo.length)).isEqualTo(clientInfo);
    assertThat(Arrays.copyOfRange(written, clientInfo.length, written.length)).isEqualTo(pong);
    c.close();
  }

  @Test
  void aHostileLengthIsRefusedBeforeAnyAllocation() {
    byte[] header = {DerpFrame.RECV_PACKET, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThatThrownBy(
            () ->
                DerpFrame.read(
                    new DataInputStream(new ByteArrayInputStream(header)), DerpFrame.MAX_FRAME))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("over the 65568-byte limit");
  }

  @Test
  void aServerInfoThatDoesNotOpenEndsTheSession() throws Exception {
    byte[] info = TailnetVectors.get("server_info_frame");
    info[info.length - 1] ^= 1;
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.write(TailnetVectors.get("server_key_frame"));
    wire.write(info);
    DerpConnection c =
        new DerpConnection(
            new ByteArrayInputStream(wire.toByteArray()),
            new ByteArrayOutputStream(),
            () -> {},
            CLIENT,
            "t");
    c.login(FIXED);
    Recorder events = new Recorder();
    assertThatThrownBy(() -> c.readLoop(events)).hasMessageContaining("does not open");
    assertThat(events.seen).isEmpty();
    c.close();
  }

  @Test
  void aGreetingWithoutTheMagicIsNotADerpServer() {
    byte[] bad = TailnetVectors.get("server_key_frame");
    bad[5] ^= 1;
    DerpConnection c =
        new DerpConnection(
            new ByteArrayInputStream(bad), new ByteArrayOutputStream(), () -> {}, CLIENT, "t");
    assertThatThrownBy(() -> c.login(FIXED)).hasMessageContaining("not a DERP server");
  }

  private static final class Recorder implements DerpConnection.Events {
    final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void loggedIn() {
      seen.add("loggedIn");
    }

    @Override
    public void packet(TailnetKey src, byte[] payload) {
      seen.add("packet " + src + " " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void peerGone(TailnetKey peer, int reason) {
      seen.add("peerGone " + peer + " " + reason);
    }

    @Override
    public void health(String problem) {
      seen.add("health " + problem);
    }

    @Override
    public void restarting(long reconnectInMs, long tryForMs) {
      seen.add("restarting " + reconnectInMs + " " + tryForMs);
    }

    @Override
    public void pinged() {
      seen.add("pinged");
    }
  }
}
