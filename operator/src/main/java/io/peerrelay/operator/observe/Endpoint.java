package io.peerrelay.operator.observe;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An advertised {@code ip:port}; IPv6 is written {@code [addr]:port} in RFC 5952 form (as Go's
 * netip and the relay's config parser write it), so equal endpoints have equal text.
 */
public record Endpoint(InetAddress address, int port) implements Comparable<Endpoint> {

  private static final Pattern V4 =
      Pattern.compile("([0-9]{1,3}(?:\\.[0-9]{1,3}){3}):([0-9]{1,5})");
  private static final Pattern V6 = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:([0-9]{1,5})");

  /** IPv4 before IPv6, then address bytes (unsigned), then port. */
  private static final Comparator<Endpoint> ORDER =
      Comparator.comparingInt((Endpoint e) -> e.address.getAddress().length)
          .thenComparing(e -> e.address.getAddress(), java.util.Arrays::compareUnsigned)
          .thenComparingInt(Endpoint::port);

  public Endpoint {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " outside 1-65535");
    }
  }

  /**
   * Parses {@code a.b.c.d:port} or {@code [v6]:port}; literals only, never a DNS lookup.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static Endpoint parse(String text) {
    Matcher v4 = V4.matcher(text);
    Matcher v6 = V6.matcher(text);
    Matcher m = v4.matches() ? v4 : v6.matches() ? v6 : null;
    // A bracketed group without a colon ("[cafe]") would be taken for a hostname and looked up.
    if (m == null || (m == v6 && !m.group(1).contains(":"))) {
      throw new IllegalArgumentException("\"" + text + "\" is not a.b.c.d:port or [v6]:port");
    }
    if (m == v4) {
      for (String octet : m.group(1).split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          throw new IllegalArgumentException("\"" + text + "\" has an octet above 255");
        }
      }
    }
    try {
      // The patterns admit only literal characters, so this never asks DNS.
      return new Endpoint(InetAddress.getByName(m.group(1)), Integer.parseInt(m.group(2)));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\" has no valid address", e);
    }
  }

  /** Whether a client could send to it: the relay refuses unspecified and multicast addresses. */
  public boolean isAdvertisable() {
    return !address.isAnyLocalAddress() && !address.isMulticastAddress();
  }

  /** Whether the address is IPv4. */
  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  @Override
  public int compareTo(Endpoint other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    if (address instanceof Inet6Address) {
      return "[" + rfc5952(address.getAddress()) + "]:" + port;
    }
    return address.getHostAddress() + ":" + port;
  }

  /** Lowercase, no leading zeros, the longest run (2+ groups, first on a tie) of zeros as ::. */
  static String rfc5952(byte[] b) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }
}
