package io.peerrelay.relay.protocol;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An inner (decrypted) disco message: type, version, body (PROTOCOL.md §2). Parsing mirrors
 * Tailscale's {@code disco.Parse}, including its leniencies.
 */
public sealed interface DiscoMessage
    permits DiscoMessage.Ping,
        DiscoMessage.Pong,
        DiscoMessage.CallMeMaybe,
        DiscoMessage.BindMessage,
        DiscoMessage.CallMeMaybeVia,
        DiscoMessage.AllocateRequest,
        DiscoMessage.AllocateResponse {

  byte TYPE_PING = 0x01;
  byte TYPE_PONG = 0x02;
  byte TYPE_CALL_ME_MAYBE = 0x03;
  byte TYPE_BIND = 0x04;
  byte TYPE_CHALLENGE = 0x05;
  byte TYPE_ANSWER = 0x06;
  byte TYPE_CALL_ME_MAYBE_VIA = 0x07;
  byte TYPE_ALLOCATE_REQUEST = 0x08;
  byte TYPE_ALLOCATE_RESPONSE = 0x09;

  /** Length of the type and version bytes. */
  int HEADER_LENGTH = 2;

  /** The encoded message, version byte 0. */
  byte[] encode();

  /** Parses {@code b[off..off+len]}; throws {@link IllegalArgumentException} when malformed. */
  static DiscoMessage parse(byte[] b, int off, int len) {
    if (len < HEADER_LENGTH || b.length - off < len) {
      throw new IllegalArgumentException("disco message shorter than its 2-byte header");
    }
    byte type = b[off];
    int version = b[off + 1];
    int body = off + HEADER_LENGTH;
    int bodyLen = len - HEADER_LENGTH;
    return switch (type) {
      case TYPE_PING -> Ping.parseBody(b, body, bodyLen);
      case TYPE_PONG -> Pong.parseBody(b, body, bodyLen);
      case TYPE_CALL_ME_MAYBE ->
          version != 0 ? new CallMeMaybe(List.of()) : CallMeMaybe.parseBody(b, body, bodyLen);
      case TYPE_BIND, TYPE_CHALLENGE, TYPE_ANSWER -> BindMessage.parseBody(type, b, body, bodyLen);
      case TYPE_CALL_ME_MAYBE_VIA ->
          version != 0
              ? new CallMeMaybeVia(UdpRelayEndpoint.ZERO)
              : new CallMeMaybeVia(UdpRelayEndpoint.parse(b, body, bodyLen));
      case TYPE_ALLOCATE_REQUEST ->
          version != 0 ? AllocateRequest.ZERO : AllocateRequest.parseBody(b, body, bodyLen);
      case TYPE_ALLOCATE_RESPONSE ->
          version != 0 ? AllocateResponse.ZERO : AllocateResponse.parseBody(b, body, bodyLen);
      default -> throw new IllegalArgumentException("unknown disco message type " + type);
    };
  }

  /** Parses a whole array. */
  static DiscoMessage parse(byte[] b) {
    return parse(b, 0, b.length);
  }

  /**
   * Ping (0x01): a transaction id, the sender's optional WireGuard node key, zero padding.
   *
   * @param txId 12 bytes
   * @param nodeKey 32 bytes or null
   * @param padding number of zero bytes after the body (path-MTU probing)
   */
  record Ping(byte[] txId, byte[] nodeKey, int padding) implements DiscoMessage {
    /** Checks lengths so a bad ping cannot be encoded. */
    public Ping {
      if (txId.length != 12 || (nodeKey != null && nodeKey.length != 32) || padding < 0) {
        throw new IllegalArgumentException("ping needs a 12-byte txid and a 32-byte node key");
      }
    }

    static Ping parseBody(byte[] b, int off, int len) {
      if (len < 12) {
        throw new IllegalArgumentException("short ping");
      }
      byte[] tx = Arrays.copyOfRange(b, off, off + 12);
      if (len >= 44) {
        return new Ping(tx, Arrays.copyOfRange(b, off + 12, off + 44), len - 44);
      }
      return new Ping(tx, null, len - 12);
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[14 + (nodeKey == null ? 0 : 32) + padding];
      out[0] = TYPE_PING;
      System.arraycopy(txId, 0, out, 2, 12);
      if (nodeKey != null) {
        System.arraycopy(nodeKey, 0, out, 14, 32);
      }
      return out;
    }
  }

  /**
   * Pong (0x02): the echoed transaction id and the ping's source as the responder saw it.
   *
   * @param txId 12 bytes
   * @param src the ping's source (through a relay: the relay's address)
   */
  record Pong(byte[] txId, InetSocketAddress src) implements DiscoMessage {
    /** Checks the txid length. */
    public Pong {
      if (txId.length != 12) {
        throw new IllegalArgumentException("pong needs a 12-byte txid");
      }
    }

    static Pong parseBody(byte[] b, int off, int len) {
      if (len < 30) {
        throw new IllegalArgumentException("short pong");
      }
      return new Pong(Arrays.copyOfRange(b, off, off + 12), AddrPort.read(b, off + 12));
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[32];
      out[0] = TYPE_PONG;
      System.arraycopy(txId, 0, out, 2, 12);
      AddrPort.write(src, out, 14);
      return out;
    }
  }

  /**
   * CallMeMaybe (0x03): the sender's direct endpoints.
   *
   * @param endpoints candidate addresses
   */
  record CallMeMaybe(List<InetSocketAddress> endpoints) implements DiscoMessage {
    /** Copies the list. */
    public CallMeMaybe {
      endpoints = List.copyOf(endpoints);
    }

    static CallMeMaybe parseBody(byte[] b, int off, int len) {
      // Go: a body that is not a non-zero multiple of 18 yields no endpoints, not an error.
      if (len == 0 || len % AddrPort.LENGTH != 0) {
        return new CallMeMaybe(List.of());
      }
      List<InetSocketAddress> eps = new ArrayList<>();
      for (int p = off; p < off + len; p += AddrPort.LENGTH) {
        eps.add(AddrPort.read(b, p));
      }
      return new CallMeMaybe(eps);
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[2 + AddrPort.LENGTH * endpoints.size()];
      out[0] = TYPE_CALL_ME_MAYBE;
      for (int i = 0; i < endpoints.size(); i++) {
        AddrPort.write(endpoints.get(i), out, 2 + AddrPort.LENGTH * i);
      }
      return out;
    }
  }

  /** Which of the three bind handshake messages a {@link BindMessage} is. */
  enum BindStep {
    BIND(TYPE_BIND),
    CHALLENGE(TYPE_CHALLENGE),
    ANSWER(TYPE_ANSWER);

    final byte type;

    BindStep(byte type) {
      this.type = type;
    }
  }

  /**
   * Bind (0x04), Challenge (0x05) and Answer (0x06): one 72-byte body shared by all three.
   *
   * @param step which message
   * @param vni the session's VNI (unsigned)
   * @param generation the client's handshake generation (unsigned, non-zero)
   * @param remoteKey the disco key of the other client on the session
   * @param challenge 32 bytes: zero in Bind, the cookie in Challenge and Answer
   */
  record BindMessage(
      BindStep step, int vni, int generation, DiscoPublicKey remoteKey, byte[] challenge)
      implements DiscoMessage {
    /** Encoded length including the header. */
    public static final int LENGTH = 74;

    /** Checks the challenge length. */
    public BindMessage {
      if (challenge.length != 32) {
        throw new IllegalArgumentException("bind challenge has 32 bytes");
      }
    }

    static BindMessage parseBody(byte type, byte[] b, int off, int len) {
      if (len < 72) {
        throw new IllegalArgumentException("short bind message");
      }
      BindStep step =
          type == TYPE_BIND
              ? BindStep.BIND
              : type == TYPE_CHALLENGE ? BindStep.CHALLENGE : BindStep.ANSWER;
      return new BindMessage(
          step,
          be32(b, off),
          be32(b, off + 4),
          DiscoPublicKey.fromRaw(b, off + 8),
          Arrays.copyOfRange(b, off + 40, off + 72));
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[LENGTH];
      out[0] = step.type;
      putBe32(out, 2, vni);
      putBe32(out, 6, generation);
      remoteKey.writeTo(out, 10);
      System.arraycopy(challenge, 0, out, 42, 32);
      return out;
    }
  }

  /**
   * AllocateUDPRelayEndpointRequest (0x08).
   *
   * @param client0 first disco key of the pair (clients send them sorted)
   * @param client1 second disco key
   * @param generation echoed in the response (unsigned)
   */
  record AllocateRequest(DiscoPublicKey client0, DiscoPublicKey client1, int generation)
      implements DiscoMessage {
    /** Encoded length including the header. */
    public static final int LENGTH = 70;

    /** What Go parses from a request with a non-zero version: all fields zero. */
    public static final AllocateRequest ZERO =
        new AllocateRequest(UdpRelayEndpoint.ZERO_KEY, UdpRelayEndpoint.ZERO_KEY, 0);

    static AllocateRequest parseBody(byte[] b, int off, int len) {
      if (len < 68) {
        throw new IllegalArgumentException("short allocation request");
      }
      return new AllocateRequest(
          DiscoPublicKey.fromRaw(b, off), DiscoPublicKey.fromRaw(b, off + 32), be32(b, off + 64));
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[LENGTH];
      out[0] = TYPE_ALLOCATE_REQUEST;
      client0.writeTo(out, 2);
      client1.writeTo(out, 34);
      putBe32(out, 66, generation);
      return out;
    }
  }

  /**
   * AllocateUDPRelayEndpointResponse (0x09).
   *
   * @param generation the request's generation
   * @param endpoint the allocation
   */
  record AllocateResponse(int generation, UdpRelayEndpoint endpoint) implements DiscoMessage {
    /** What Go parses from a response with a non-zero version. */
    public static final AllocateResponse ZERO = new AllocateResponse(0, UdpRelayEndpoint.ZERO);

    static AllocateResponse parseBody(byte[] b, int off, int len) {
      if (len < 4) {
        throw new IllegalArgumentException("short allocation response");
      }
      return new AllocateResponse(be32(b, off), UdpRelayEndpoint.parse(b, off + 4, len - 4));
    }

    @Override
    public byte[] encode() {
      byte[] out = new byte[6 + endpoint.encodedLength()];
      out[0] = TYPE_ALLOCATE_RESPONSE;
      putBe32(out, 2, generation);
      endpoint.encode(out, 6);
      return out;
    }
  }

  /**
   * CallMeMaybeVia (0x07): an allocation forwarded to the peer.
   *
   * @param endpoint the allocation
   */
  record CallMeMaybeVia(UdpRelayEndpoint endpoint) implements DiscoMessage {
    @Override
    public byte[] encode() {
      byte[] out = new byte[2 + endpoint.encodedLength()];
      out[0] = TYPE_CALL_ME_MAYBE_VIA;
      endpoint.encode(out, 2);
      return out;
    }
  }

  /** Big-endian uint32 as a Java int. */
  static int be32(byte[] b, int o) {
    return (b[o] & 0xFF) << 24
        | (b[o + 1] & 0xFF) << 16
        | (b[o + 2] & 0xFF) << 8
        | (b[o + 3] & 0xFF);
  }

  /** Writes a big-endian uint32. */
  static void putBe32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
  }
}
