package io.peerrelay.relay.config;

import io.peerrelay.relay.protocol.AddrPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes an {@code ip:port} endpoint ({@code [v6]:port} for IPv6) without ever asking
 * DNS.
 *
 * <p>An advertised endpoint goes verbatim into allocation answers, so a hostname would be useless
 * to clients (they expect an address) and resolving it here would make config parsing depend on the
 * network.
 */
public final class EndpointAddress {
  private static final Pattern V4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern V4_WITH_PORT = Pattern.compile("([0-9.]+):(\\d+)");
  private static final Pattern V6_WITH_PORT = Pattern.compile("\\[([0-9A-Fa-f:.]+)\\]:(\\d+)");

  private EndpointAddress() {}

  /**
   * Parses {@code 192.0.2.1:40000} or {@code [2001:db8::1]:40000}.
   *
   * @throws IllegalArgumentException saying how to write the endpoint
   */
  public static InetSocketAddress parse(String text) {
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
    int portNumber = portNumber(port);
    if (portNumber < 1 || portNumber > 65535) {
      throw new IllegalArgumentException("\"" + text + "\" has port " + port + ", outside 1-65535");
    }
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an address a client can send to (no 0.0.0.0, ::, or multicast)");
    }
    return new InetSocketAddress(address, portNumber);
  }

  /** Writes {@code ip:port}, IPv6 in brackets in its compressed form, as Go's netip does. */
  public static String format(InetSocketAddress endpoint) {
    return AddrPort.format(endpoint);
  }

  private static String hint(String s) {
    if (s.startsWith("[")) {
      return "write IPv6 as [2001:db8::1]:40000";
    }
    if (V4.matcher(s).matches()) {
      return "write " + s + ":40000, IPv6 as [2001:db8::1]:40000";
    }
    if (s.chars().filter(c -> c == ':').count() >= 2 && !s.startsWith("[")) {
      return "IPv6 needs brackets: write [2001:db8::1]:40000";
    }
    if (s.chars().anyMatch(c -> Character.isLetter(c) && Character.digit(c, 16) < 0)) {
      return "write an IP address: the relay never resolves hostnames";
    }
    return "write e.g. 192.0.2.10:40000, IPv6 as [2001:db8::1]:40000";
  }

  private static int portNumber(String digits) {
    return digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
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
    return byAddress(raw, original);
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

  private static InetAddress byAddress(byte[] raw, String original) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + original + "\" is not an address", e);
    }
  }
}
