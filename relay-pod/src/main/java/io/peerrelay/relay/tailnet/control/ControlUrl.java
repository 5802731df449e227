package io.peerrelay.relay.tailnet.control;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where the control server listens: {@code https://host[:port]} (TLS, the normal case) or {@code
 * http://host[:port]} (plain, only for test servers on loopback: the Noise layer still
 * authenticates and encrypts, as Tailscale's client also allows on port 80).
 *
 * @param tls true for https
 * @param host the host name or IP literal
 * @param port the TCP port
 */
public record ControlUrl(boolean tls, String host, int port) {

  /**
   * Parses a control URL; a path other than "/" is refused because Tailscale's paths are fixed.
   *
   * @throws IllegalArgumentException saying what to write instead
   */
  public static ControlUrl parse(String text) {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a URL (write e.g. https://controlplane.tailscale.com)", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" must start with https:// (e.g. https://controlplane.tailscale.com)");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("\"" + text + "\" has no host name");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "\"" + text + "\" must be only scheme and host (no path or query)");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new ControlUrl(tls, host, port);
  }

  /** The value of the Host header and HTTP/2 :authority. */
  public String authority() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return port == (tls ? 443 : 80) ? h : h + ":" + port;
  }

  /** The base URL, e.g. {@code https://controlplane.tailscale.com}. */
  public String base() {
    return (tls ? "https://" : "http://") + authority();
  }
}
