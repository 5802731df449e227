package io.peerrelay.relay.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The 18-byte {@code ip:port} wire form (16-byte address, IPv4 mapped into IPv6, big-endian port)
 * and Go's {@code netip.AddrPort} text form ({@code 1.2.3.4:5}, {@code [2001:db8::1]:5}).
 */
public final class AddrPort {
  /** Wire length. */
  public static final int LENGTH = 18;

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

  /** Parses {@code ip:port} or {@code [v6]:port} with a literal address (no DNS). */
  public static InetSocketAddress parse(String text) {
    String t = text.strip();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("not an ip:port: '" + text + "' (expected [v6]:port)");
      }
      host = t.substring(1, close);
      port = t.substring(close + 2);
    } else {
      int colon = t.lastIndexOf(':');
      if (colon < 0 || t.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "not an ip:port: '" + text + "' (expected a.b.c.d:port or [v6]:port)");
      }
      host = t.substring(0, colon);
      port = t.substring(colon + 1);
    }
    InetAddress ip = literal(host, text);
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'", e);
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range in '" + text + "'");
    }
    return new InetSocketAddress(ip, p);
  }

  private static InetAddress literal(String host, String text) {
    boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = host.contains(":") && host.matches("[0-9a-fA-F:.]+");
    if (!v4 && !v6) {
      throw new IllegalArgumentException("not a literal IP address in '" + text + "'");
    }
    try {
      InetAddress ip = InetAddress.getByName(host);
      if (v4 && !(ip instanceof Inet4Address)) {
        throw new IllegalArgumentException("not an IPv4 address in '" + text + "'");
      }
      return ip;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not a literal IP address in '" + text + "'", e);
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
