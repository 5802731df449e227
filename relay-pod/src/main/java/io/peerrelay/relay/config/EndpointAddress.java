package io.peerrelay.relay.config;

import io.peerrelay.relay.protocol.AddrPort;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Reads and writes an {@code ip:port} endpoint ({@code [v6]:port} for IPv6) without ever asking
 * DNS.
 *
 * <p>An advertised endpoint goes verbatim into allocation answers, so a hostname would be useless
 * to clients (they expect an address) and resolving it here would make config parsing depend on the
 * network.
 */
public final class EndpointAddress {
  private EndpointAddress() {}

  /**
   * Parses {@code 192.0.2.1:40000} or {@code [2001:db8::1]:40000} ({@link AddrPort#parse}) and
   * refuses what a client cannot send to: port 0, the wildcard addresses and multicast.
   *
   * @throws IllegalArgumentException saying how to write the endpoint
   */
  public static InetSocketAddress parse(String text) {
    InetSocketAddress endpoint = AddrPort.parse(text, 1);
    InetAddress address = endpoint.getAddress();
    if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an address a client can send to (no 0.0.0.0, ::, or multicast)");
    }
    return endpoint;
  }

  /** Writes {@code ip:port}, IPv6 in brackets in its compressed form, as Go's netip does. */
  public static String format(InetSocketAddress endpoint) {
    return AddrPort.format(endpoint);
  }
}
