package io.peerrelay.relay.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The 18-byte {@code ip:port} wire form (16-byte address, IPv4 mapped into IPv6, big-endian port)
 * and Go's {@code netip.AddrPort} text form ({@code 1.2.3.4:5}, {@code [2001:db8::1]:5}).
 */
public final class AddrPort {
  /** Wire length. */
  public static final int LENGTH = 18;

  private static final Pattern V4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern V4_WITH_PORT = Pattern.compile("([0-9.]+):(\\d+)");
  private static final Pattern V6_WITH_PORT = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:(\\d+)");

  private AddrPort() {}

  /** Writes {@code address} at {@code off}, IPv4 as {@code ::ffff:a.b.c.d}. */
  public static void write(InetSocketAddress address, byte[] out, int off) {
    byte[] ip = address.getAddress().getAddress();
    if (ip.length == 4) {
      java.util.Arrays.fill(out, off, off + 10, (byte) 0);
      out[off + 10] = (byte) 0xFF;
      out[off + 11] = (byte) 0xFF;
      System.arraycopy(ip, 0, out, off + 12, 4);
    } else {
      System.arraycopy(ip, 0, out, off, 16);
    }
    int port = address.getPort();
    out[off + 16] = (byte) (port >>> 8);
    out[off + 17] = (byte) port;
  }

  /** Reads 18 bytes at {@code off}; an IPv4-mapped address comes back as IPv4 (Go's Unmap). */
  public static InetSocketAddress read(byte[] in, int off) {
    byte[] ip = java.util.Arrays.copyOfRange(in, off, off + 16);
    int port = ((in[off + 16] & 0xFF) << 8) | (in[off + 17] & 0xFF);
    try {
      // getByAddress turns an IPv4-mapped 16-byte address into an Inet4Address by itself.
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always a valid address", e);
    }
  }

  /** Go's text form: {@code a.b.c.d:port} or {@code [v6]:port} with RFC 5952 compression. */
  public static String format(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip instanceof Inet6Address v6) {
      return "[" + compressedV6(v6.getAddress()) + "]:" + address.getPort();
    }
    return ip.getHostAddress() + ":" + address.getPort();
  }

  /**
   * Parses {@code 192.0.2.1:40000} or {@code [2001:db8::1]:40000}, a literal address only (text is
   * never sent to a resolver), port 0-65535: the module's one {@code ip:port} parser.
   *
   * @throws IllegalArgumentException quoting the text and saying how to write it
   */
  public static InetSocketAddress parse(String text) {
    return parse(text, 0);
  }

  /**
   * As {@link #parse(String)}, with ports below {@code minPort} refused ({@code 1} where port 0
   * would mean "any").
   */
  public static InetSocketAddress parse(String text, int minPort) {
    String s = text.strip();
    Matcher v6 = V6_WITH_PORT.matcher(s);
    Matcher v4 = V4_WITH_PORT.matcher(s);
    InetAddress address;
    String port;
    if (v6.matches()) {
      address = v6Literal(v6.group(1), text);
      port = v6.group(2);
    } else if (v4.matches()) {
      address = v4Literal(v4.group(1), text);
      port = v4.group(2);
    } else {
      throw new IllegalArgumentException("\"" + text + "\" is not ip:port (" + hint(s) + ")");
    }
    int portNumber = port.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(port);
    if (portNumber < minPort || portNumber > 65535) {
      throw new IllegalArgumentException(
          "\"" + text + "\" has port " + port + ", outside " + minPort + "-65535");
    }
    return new InetSocketAddress(address, portNumber);
  }

  private static String hint(String s) {
    if (s.startsWith("[")) {
      return "write IPv6 as [2001:db8::1]:40000";
    }
    if (V4.matcher(s).matches()) {
      return "write " + s + ":40000, IPv6 as [2001:db8::1]:40000";
    }
    if (s.chars().filter(c -> c == ':').count() >= 2) {
      return "IPv6 needs brackets: write [2001:db8::1]:40000";
    }
    if (s.chars().anyMatch(c -> Character.isLetter(c) && Character.digit(c, 16) < 0)) {
      return "write an IP address: the relay never resolves hostnames";
    }
    return "write e.g. 192.0.2.10:40000, IPv6 as [2001:db8::1]:40000";
  }

  private static InetAddress v4Literal(String text, String original) {
    Matcher m = V4.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "\"" + original + "\" is not ip:port (the IPv4 address needs four numbers)");
    }
    byte[] raw = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(m.group(i + 1));
      if (octet > 255) {
        throw new IllegalArgumentException(
            "\"" + original + "\" is not an IPv4 address (" + octet + " is more than 255)");
      }
      raw[i] = (byte) octet;
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + original + "\" is not an address", e);
    }
  }

  private static InetAddress v6Literal(String text, String original) {
    try {
      // Text that contains ':' is parsed as an IPv6 literal and never sent to a resolver.
      return InetAddress.getByName("[" + text + "]");
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "\"" + original + "\" is not an IPv6 address (write e.g. [2001:db8::1]:40000)", e);
    }
  }

  /**
   * RFC 5952 text of a 16-byte IPv6 address: lowercase, the longest run of two or more zero groups
   * written as {@code ::} (the module's one IPv6 formatter; config and the tailnet use it too).
   */
  public static String compressedV6(byte[] a) {
    int[] w = new int[8];
    for (int i = 0; i < 8; i++) {
      w[i] = ((a[2 * i] & 0xFF) << 8) | (a[2 * i + 1] & 0xFF);
    }
    // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on a tie.
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (w[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && w[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(w[i]));
    }
    return sb.toString();
  }
}
