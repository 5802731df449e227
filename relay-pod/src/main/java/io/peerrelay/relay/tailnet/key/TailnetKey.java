package io.peerrelay.relay.tailnet.key;

import io.peerrelay.relay.protocol.KeyText;
import java.util.Arrays;

/**
 * A Curve25519 public key of one of Tailscale's kinds (node or machine), with that kind's text
 * prefix: {@code nodekey:<64 hex>} or {@code mkey:<64 hex>}. Node keys name peers in the netmap and
 * on DERP; machine keys name the Noise endpoints of the control connection.
 */
public final class TailnetKey implements Comparable<TailnetKey> {
  /** Raw key length in bytes. */
  public static final int LENGTH = KeyText.LENGTH;

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
    return new TailnetKey(kind, KeyText.exact(raw32, kind.prefix() + " key"));
  }

  /** Reads 32 raw key bytes at {@code offset} of {@code buf}. */
  public static TailnetKey fromRaw(Kind kind, byte[] buf, int offset) {
    return new TailnetKey(kind, KeyText.read(buf, offset, kind.prefix() + " key"));
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
    return new TailnetKey(kind, KeyText.parse(text, kind.prefix(), "key"));
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
    return KeyText.matches(raw, buf, offset);
  }

  /**
   * Short form as Tailscale logs it: {@code [<first 5 base64 chars>]}-like; here hex of 4 bytes.
   */
  public String shortString() {
    return "[" + KeyText.hexPrefix(raw, 4) + "]";
  }

  /** The text form, for example {@code nodekey:<64 hex>}. */
  @Override
  public String toString() {
    return KeyText.format(kind.prefix(), raw);
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
