package io.peerrelay.relay.tailnet.key;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A Curve25519 public key of one of Tailscale's kinds (node or machine), with that kind's text
 * prefix: {@code nodekey:<64 hex>} or {@code mkey:<64 hex>}. Node keys name peers in the netmap and
 * on DERP; machine keys name the Noise endpoints of the control connection.
 */
public final class TailnetKey implements Comparable<TailnetKey> {
  /** Raw key length in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  /** The kinds of public key this class carries, each with Tailscale's text prefix. */
  public enum Kind {
    /** A node key ({@code nodekey:}), the peer's WireGuard and DERP identity. */
    NODE("nodekey:"),
    /** A machine key ({@code mkey:}), the Noise static key of a node or a control server. */
    MACHINE("mkey:");

    private final String prefix;

    Kind(String prefix) {
      this.prefix = prefix;
    }

    /** The text prefix, for example {@code nodekey:}. */
    public String prefix() {
      return prefix;
    }
  }

  private final Kind kind;
  private final byte[] raw;
  private final int hash;

  private TailnetKey(Kind kind, byte[] raw) {
    this.kind = kind;
    this.raw = raw;
    this.hash = 31 * kind.hashCode() + Arrays.hashCode(raw);
  }

  /** Wraps a copy of 32 raw key bytes as a key of {@code kind}. */
  public static TailnetKey fromRaw(Kind kind, byte[] raw32) {
    if (raw32 == null || raw32.length != LENGTH) {
      throw new IllegalArgumentException("a " + kind.prefix() + " key has exactly 32 bytes");
    }
    return new TailnetKey(kind, raw32.clone());
  }

  /** Reads 32 raw key bytes at {@code offset} of {@code buf}. */
  public static TailnetKey fromRaw(Kind kind, byte[] buf, int offset) {
    if (offset < 0 || buf.length - offset < LENGTH) {
      throw new IllegalArgumentException("a " + kind.prefix() + " key has exactly 32 bytes");
    }
    return new TailnetKey(kind, Arrays.copyOfRange(buf, offset, offset + LENGTH));
  }

  /** A node key from 32 raw bytes. */
  public static TailnetKey node(byte[] raw32) {
    return fromRaw(Kind.NODE, raw32);
  }

  /** A machine key from 32 raw bytes. */
  public static TailnetKey machine(byte[] raw32) {
    return fromRaw(Kind.MACHINE, raw32);
  }

  /** Parses {@code <prefix><64 hex>} for {@code kind}; the error names the expected form. */
  public static TailnetKey parse(Kind kind, String text) {
    String expected = "expected " + kind.prefix() + "<64 hex>";
    if (text == null) {
      throw new IllegalArgumentException("key is missing; " + expected);
    }
    String trimmed = text.strip();
    if (!trimmed.startsWith(kind.prefix())
        || trimmed.length() != kind.prefix().length() + 2 * LENGTH) {
      throw new IllegalArgumentException("not a key: '" + trimmed + "'; " + expected);
    }
    try {
      return new TailnetKey(kind, HEX.parseHex(trimmed, kind.prefix().length(), trimmed.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a key: '" + trimmed + "'; " + expected, e);
    }
  }

  /** The key's kind. */
  public Kind kind() {
    return kind;
  }

  /** A copy of the raw key bytes. */
  public byte[] raw() {
    return raw.clone();
  }

  /** Writes the raw key into {@code out} at {@code offset}. */
  public void writeTo(byte[] out, int offset) {
    System.arraycopy(raw, 0, out, offset, LENGTH);
  }

  /** True when {@code buf[offset..offset+32]} holds exactly this key's bytes (no allocation). */
  public boolean matches(byte[] buf, int offset) {
    if (offset < 0 || buf.length - offset < LENGTH) {
      return false;
    }
    return Arrays.equals(raw, 0, LENGTH, buf, offset, offset + LENGTH);
  }

  /**
   * Short form as Tailscale logs it: {@code [<first 5 base64 chars>]}-like; here hex of 4 bytes.
   */
  public String shortString() {
    return "[" + HEX.formatHex(raw, 0, 4) + "]";
  }

  /** The text form, for example {@code nodekey:<64 hex>}. */
  @Override
  public String toString() {
    return kind.prefix() + HEX.formatHex(raw);
  }

  @Override
  public int compareTo(TailnetKey other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : Arrays.compareUnsigned(raw, other.raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TailnetKey other && kind == other.kind && Arrays.equals(raw, other.raw);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
