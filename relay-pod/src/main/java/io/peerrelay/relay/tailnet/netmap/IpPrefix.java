package io.peerrelay.relay.tailnet.netmap;

import io.peerrelay.relay.protocol.AddrPort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IP prefix as Go's netip.Prefix writes it ({@code 100.64.0.1/32}, {@code fd7a:115c::/48}); a
 * bare address is its own single-address prefix. Only literals are accepted: nothing here ever asks
 * a resolver.
 */
public final class IpPrefix {
  private static final Pattern V4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  private final byte[] address;
  private final int bits;

  private IpPrefix(byte[] address, int bits) {
    this.address = address;
    this.bits = bits;
  }

  /** Parses {@code ip/bits} or a bare {@code ip}; host bits must be zero, as Go requires. */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    byte[] raw = parseAddress(slash < 0 ? text : text.substring(0, slash));
    int max = raw.length * 8;
    int bits = max;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > max) {
        throw new IllegalArgumentException("\"" + text + "\" has a bad prefix length");
      }
      bits = Integer.parseInt(digits);
    }
    IpPrefix prefix = new IpPrefix(raw, bits);
    if (!prefix.equals(of(raw, bits))) {
      throw new IllegalArgumentException("\"" + text + "\" contains non-network bits set");
    }
    return prefix;
  }

  /** A prefix of {@code bits} over {@code address}, masked. */
  public static IpPrefix of(byte[] address, int bits) {
    if ((address.length != 4 && address.length != 16) || bits < 0 || bits > address.length * 8) {
      throw new IllegalArgumentException("not an IPv4 or IPv6 prefix");
    }
    byte[] masked = address.clone();
    for (int i = 0; i < masked.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      masked[i] &= (byte) (0xff << (8 - keep));
    }
    return new IpPrefix(masked, bits);
  }

  /** The raw bytes of an IPv4 (4 bytes) or IPv6 (16 bytes) literal. */
  public static byte[] parseAddress(String text) {
    Matcher m = V4.matcher(text);
    if (m.matches()) {
      byte[] raw = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(m.group(i + 1));
        if (octet > 255) {
          throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        }
        raw[i] = (byte) octet;
      }
      return raw;
    }
    if (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address");
    }
    try {
      // Text with ':' is parsed as an IPv6 literal, never resolved.
      byte[] raw = InetAddress.getByName("[" + text + "]").getAddress();
      if (raw.length == 4) {
        // Java folds ::ffff:a.b.c.d into IPv4; netip keeps it IPv6.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
      }
      return raw;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address", e);
    }
  }

  /** True when {@code ip} (4 or 16 raw bytes) is inside this prefix; families never mix. */
  public boolean contains(byte[] ip) {
    if (ip.length != address.length) {
      return false;
    }
    for (int i = 0; i < address.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - 8 * i));
      int mask = (0xff << (8 - keep)) & 0xff;
      if ((ip[i] & mask) != (address[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  /** True when {@code ip} is inside this prefix. */
  public boolean contains(InetAddress ip) {
    return contains(ip.getAddress());
  }

  /** True for a /32 (IPv4) or /128 (IPv6): one host address. */
  public boolean isSingleIp() {
    return bits == address.length * 8;
  }

  /** True for an IPv4 prefix. */
  public boolean isIpv4() {
    return address.length == 4;
  }

  /** The prefix length. */
  public int bits() {
    return bits;
  }

  /** A copy of the address bytes. */
  public byte[] rawAddress() {
    return address.clone();
  }

  /** The address as an InetAddress (no lookup). */
  public InetAddress address() {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The address alone, as netip writes it. */
  public String addressText() {
    if (address.length == 16) {
      return AddrPort.compressedV6(address);
    }
    return (address[0] & 0xff)
        + "."
        + (address[1] & 0xff)
        + "."
        + (address[2] & 0xff)
        + "."
        + (address[3] & 0xff);
  }

  @Override
  public String toString() {
    return addressText() + "/" + bits;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p && bits == p.bits && Arrays.equals(address, p.address);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(address) + bits;
  }
}
