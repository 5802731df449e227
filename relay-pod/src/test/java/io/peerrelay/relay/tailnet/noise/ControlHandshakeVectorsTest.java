package io.peerrelay.relay.tailnet.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java initiator against a transcript that Tailscale's own controlbase produced. */
class ControlHandshakeVectorsTest {
  private final NoiseVectors v = NoiseVectors.load();

  private ControlHandshake handshake() throws NoiseException {
    return ControlHandshake.start(
        TailnetPrivateKey.fromRaw(v.bytes("machinePrivate")),
        TailnetKey.machine(v.bytes("controlPublic")),
        Integer.parseInt(v.text("protocolVersion")),
        TailnetPrivateKey.fromRaw(v.bytes("clientEphemeralPrivate")));
  }

  @Test
  void initiationIsByteForByteWhatControlbaseSends() throws Exception {
    assertThat(handshake().initiation()).isEqualTo(v.bytes("initiation"));
  }

  @Test
  void responseGivesTheSameHandshakeHashAndTransportRecords() throws Exception {
    NoiseSession session = handshake().finish(v.bytes("response"));
    assertThat(session.handshakeHash()).isEqualTo(v.bytes("handshakeHash"));

    List<byte[]> c2sPlain = v.allBytes("c2s.plain");
    List<byte[]> c2sWire = v.allBytes("c2s.wire");
    assertThat(c2sPlain).hasSize(3);
    for (int i = 0; i < c2sPlain.size(); i++) {
      byte[] plain = c2sPlain.get(i);
      assertThat(session.seal(plain, 0, plain.length))
          .as("c2s record %d", i)
          .isEqualTo(c2sWire.get(i));
    }

    List<byte[]> s2cPlain = v.allBytes("s2c.plain");
    List<byte[]> s2cWire = v.allBytes("s2c.wire");
    for (int i = 0; i < s2cWire.size(); i++) {
      assertThat(openAll(session, s2cWire.get(i)))
          .as("s2c record %d", i)
          .isEqualTo(s2cPlain.get(i));
    }
  }

  @Test
  void aLongWriteIsSplitAtTheMaximumPlaintext() throws Exception {
    NoiseSession session = handshake().finish(v.bytes("response"));
    byte[] first = v.allBytes("c2s.plain").get(0);
    session.seal(first, 0, first.length);
    byte[] big = v.allBytes("c2s.plain").get(1);
    byte[] wire = session.seal(big, 0, big.length);
    assertThat(NoiseSession.recordLength(wire, 0)).isEqualTo(NoiseSession.MAX_MESSAGE_SIZE);
    assertThat(wire.length - NoiseSession.MAX_MESSAGE_SIZE)
        .isEqualTo(3 + big.length - NoiseSession.MAX_PLAINTEXT_SIZE + 16);
  }

  @Test
  void aFlippedResponseByteFailsAuthentication() throws Exception {
    byte[] response = v.bytes("response");
    response[40] ^= 1;
    ControlHandshake h = handshake();
    assertThatThrownBy(() -> h.finish(response)).isInstanceOf(NoiseException.class);
  }

  @Test
  void aFlippedRecordByteFailsAndRecordsOutOfOrderFail() throws Exception {
    NoiseSession session = handshake().finish(v.bytes("response"));
    byte[] first = v.allBytes("s2c.wire").get(0);
    byte[] corrupt = first.clone();
    corrupt[corrupt.length - 1] ^= 1;
    assertThatThrownBy(() -> session.open(corrupt, 0)).hasMessageContaining("authentication");

    NoiseSession fresh = handshake().finish(v.bytes("response"));
    byte[] second = v.allBytes("s2c.wire").get(1);
    assertThatThrownBy(() -> fresh.open(second, 0)).isInstanceOf(NoiseException.class);
  }

  @Test
  void theServersRefusalIsReportedWithItsText() throws Exception {
    byte[] error = v.bytes("errorFrame");
    assertThat(ControlHandshake.serverMessageLength(error, 0)).isEqualTo(error.length);
    ControlHandshake h = handshake();
    assertThatThrownBy(() -> h.finish(error))
        .hasMessageContaining("refused")
        .hasMessageContaining("wrong handshake initiation size");
  }

  @Test
  void oversizedAndForeignRecordsAreRejectedBeforeReadingThem() {
    byte[] tooBig = {4, (byte) 0x0f, (byte) 0xfe};
    assertThatThrownBy(() -> NoiseSession.recordLength(tooBig, 0)).hasMessageContaining("4096");
    byte[] foreign = {2, 0, 48};
    assertThatThrownBy(() -> NoiseSession.recordLength(foreign, 0))
        .hasMessageContaining("unexpected type 2");
    byte[] badResponse = {2, 0, 47};
    assertThatThrownBy(() -> ControlHandshake.serverMessageLength(badResponse, 0))
        .hasMessageContaining("wrong length");
  }

  @Test
  void anExhaustedCipherRefusesToSeal() throws Exception {
    NoiseSession session = handshake().finish(v.bytes("response"));
    session.txForTest().setCounterForTest(-1L);
    assertThatThrownBy(() -> session.seal(new byte[1], 0, 1)).hasMessageContaining("exhausted");
  }

  private static byte[] openAll(NoiseSession session, byte[] wire) throws NoiseException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int offset = 0;
    while (offset < wire.length) {
      out.writeBytes(session.open(wire, offset));
      offset += NoiseSession.recordLength(wire, offset);
    }
    return out.toByteArray();
  }
}
