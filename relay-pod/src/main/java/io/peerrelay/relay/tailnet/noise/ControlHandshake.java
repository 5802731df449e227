package io.peerrelay.relay.tailnet.noise;

import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The initiator side of Tailscale's control-protocol handshake (Noise IK over Curve25519,
 * ChaCha20-Poly1305 and BLAKE2s), as tailscale.com/control/controlbase speaks it.
 *
 * <p>The prologue is {@code "Tailscale Control Protocol v<version>"}, and the initiation message
 * carries that version in clear in its first two bytes, so the server can pick the same prologue.
 * Both handshake messages have empty payloads. The initiation is built up front because ts2021
 * sends it inside the HTTP upgrade request, before any Noise bytes flow.
 */
public final class ControlHandshake {
  /** Bytes of the initiation message: version(2) type(1) length(2) e(32) s(48) tag(16). */
  public static final int INITIATION_LENGTH = 101;

  /** Bytes of the response message: type(1) length(2) e(32) tag(16). */
  public static final int RESPONSE_LENGTH = 51;

  static final int HEADER_LENGTH = 3;
  static final byte TYPE_INITIATION = 1;
  static final byte TYPE_RESPONSE = 2;
  static final byte TYPE_ERROR = 3;
  static final byte TYPE_RECORD = 4;
  private static final String PROLOGUE_PREFIX = "Tailscale Control Protocol v";

  private final TailnetPrivateKey machineKey;
  private final TailnetPrivateKey ephemeral;
  private final SymmetricState state = new SymmetricState();
  private final byte[] initiation = new byte[INITIATION_LENGTH];
  private boolean finished;

  private ControlHandshake(
      TailnetPrivateKey machineKey, TailnetKey controlKey, int version, TailnetPrivateKey eph)
      throws NoiseException {
    if (version < 0 || version > 0xffff) {
      throw new IllegalArgumentException("protocol version " + version + " is not 16 bits");
    }
    if (controlKey.kind() != TailnetKey.Kind.MACHINE) {
      throw new IllegalArgumentException("the control server's key is an mkey:, got " + controlKey);
    }
    this.machineKey = machineKey;
    this.ephemeral = eph;
    byte[] controlRaw = controlKey.raw();
    state.mixHash((PROLOGUE_PREFIX + version).getBytes(StandardCharsets.US_ASCII));
    state.mixHash(controlRaw);

    initiation[0] = (byte) (version >>> 8);
    initiation[1] = (byte) version;
    initiation[2] = TYPE_INITIATION;
    initiation[3] = 0;
    initiation[4] = (byte) (INITIATION_LENGTH - 5);
    byte[] ephemeralPub = eph.publicKey(TailnetKey.Kind.MACHINE).raw();
    System.arraycopy(ephemeralPub, 0, initiation, 5, 32);
    state.mixHash(ephemeralPub);
    NoiseCipher es = state.mixDh(eph, controlRaw);
    byte[] sealedStatic =
        state.encryptAndHash(es, machineKey.publicKey(TailnetKey.Kind.MACHINE).raw());
    System.arraycopy(sealedStatic, 0, initiation, 37, 48);
    NoiseCipher ss = state.mixDh(machineKey, controlRaw);
    byte[] tag = state.encryptAndHash(ss, new byte[0]);
    System.arraycopy(tag, 0, initiation, 85, 16);
  }

  /** Starts a handshake with a fresh random ephemeral key. */
  public static ControlHandshake start(
      TailnetPrivateKey machineKey, TailnetKey controlKey, int protocolVersion)
      throws NoiseException {
    return start(machineKey, controlKey, protocolVersion, TailnetPrivateKey.generate());
  }

  /** Starts a handshake with the given ephemeral key (tests replay recorded transcripts). */
  public static ControlHandshake start(
      TailnetPrivateKey machineKey,
      TailnetKey controlKey,
      int protocolVersion,
      TailnetPrivateKey ephemeral)
      throws NoiseException {
    return new ControlHandshake(machineKey, controlKey, protocolVersion, ephemeral);
  }

  /** A copy of the 101-byte initiation message. */
  public byte[] initiation() {
    return initiation.clone();
  }

  /**
   * How many bytes the server's first message has in total, given at least its 3 header bytes at
   * {@code offset}: a response is always 51; an error message is its text's length plus 3.
   *
   * @throws NoiseException for any other message type or a response of the wrong length
   */
  public static int serverMessageLength(byte[] buf, int offset) throws NoiseException {
    int type = buf[offset];
    int length = ((buf[offset + 1] & 0xff) << 8) | (buf[offset + 2] & 0xff);
    if (type == TYPE_RESPONSE) {
      if (length != RESPONSE_LENGTH - HEADER_LENGTH) {
        throw new NoiseException("wrong length " + length + " received for handshake response");
      }
      return RESPONSE_LENGTH;
    }
    if (type == TYPE_ERROR) {
      return HEADER_LENGTH + length;
    }
    throw new NoiseException("unexpected handshake response message type " + type);
  }

  /**
   * Completes the handshake with the server's whole first message.
   *
   * @throws NoiseException if the server refused (its text is in the message) or the response does
   *     not authenticate
   */
  public NoiseSession finish(byte[] message) throws NoiseException {
    if (finished) {
      throw new IllegalStateException("handshake already finished");
    }
    finished = true;
    int total = serverMessageLength(message, 0);
    if (message.length != total) {
      throw new NoiseException("handshake response has " + message.length + " bytes, not " + total);
    }
    if (message[0] == TYPE_ERROR) {
      String text =
          new String(message, HEADER_LENGTH, total - HEADER_LENGTH, StandardCharsets.UTF_8);
      throw new NoiseException("control server refused the handshake: \"" + text + "\"");
    }
    byte[] serverEphemeral = Arrays.copyOfRange(message, 3, 35);
    state.mixHash(serverEphemeral);
    state.mixDh(ephemeral, serverEphemeral);
    NoiseCipher se = state.mixDh(machineKey, serverEphemeral);
    state.decryptAndHash(se, Arrays.copyOfRange(message, 35, 51));
    NoiseCipher[] keys = state.split();
    return new NoiseSession(keys[0], keys[1], state.handshakeHash());
  }
}
