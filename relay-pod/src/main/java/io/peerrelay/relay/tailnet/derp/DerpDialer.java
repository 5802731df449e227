package io.peerrelay.relay.tailnet.derp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens the TLS connection to a DERP node and upgrades it as Tailscale's {@code derphttp} client
 * does: {@code GET /derp} with {@code Upgrade: DERP}, answered by {@code 101 Switching Protocols}.
 * Addresses come from the node's {@code IPv4}/{@code IPv6} fields when they hold addresses, from
 * DNS for {@code hostName} when they are empty; anything else in them disables that family.
 */
final class DerpDialer {
  /** Tailscale gives one node 1.5 s to accept the TCP connection. */
  static final int CONNECT_TIMEOUT_MS = 1500;

  /** Bound on the whole upgrade answer, so a hostile server cannot feed headers forever. */
  private static final int MAX_RESPONSE_HEAD = 8192;

  private static final String SHA256_RAW = "sha256-raw:";

  private final SSLContext trustContext;

  /**
   * @param trustContext the context whose trust decides a certificate (null: the JDK's default);
   *     ignored for {@code insecureForTests} nodes and certificate pins
   */
  DerpDialer(SSLContext trustContext) {
    this.trustContext = trustContext;
  }

  /** A connected, upgraded socket whose streams now carry DERP frames. */
  SSLSocket dial(DerpServer server, int readTimeoutMs) throws IOException {
    IOException last = null;
    for (InetAddress address : addresses(server)) {
      Socket tcp = new Socket();
      try {
        tcp.connect(new InetSocketAddress(address, server.port()), CONNECT_TIMEOUT_MS);
        tcp.setTcpNoDelay(true);
        tcp.setSoTimeout(readTimeoutMs);
        SSLSocket tls = handshake(tcp, server);
        upgrade(tls, server);
        return tls;
      } catch (IOException e) {
        tcp.close();
        last =
            new IOException(
                "DERP "
                    + server.describe()
                    + " at "
                    + address.getHostAddress()
                    + ": "
                    + e.getMessage(),
                e);
      }
    }
    throw last != null
        ? last
        : new IOException(
            "DERP " + server.describe() + ": no address to dial (ipv4 and ipv6 both disabled)");
  }

  /** IPv4 first, then IPv6: the explicit field, or DNS when the field is empty. */
  static List<InetAddress> addresses(DerpServer server) throws IOException {
    List<InetAddress> out = new ArrayList<>();
    addFamily(out, server.ipv4(), server.hostName(), Inet4Address.class);
    addFamily(out, server.ipv6(), server.hostName(), Inet6Address.class);
    return out;
  }

  private static void addFamily(
      List<InetAddress> out, String field, String hostName, Class<? extends InetAddress> family)
      throws IOException {
    if (!field.isEmpty()) {
      InetAddress literal = literal(field);
      if (family.isInstance(literal)) {
        out.add(literal);
      }
      return;
    }
    for (InetAddress a : InetAddress.getAllByName(hostName)) {
      if (family.isInstance(a)) {
        out.add(a);
      }
    }
  }

  /** The address of an IP literal, or null for anything else ("none"): never a DNS lookup. */
  static InetAddress literal(String text) {
    boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    boolean v6 = text.contains(":") && text.matches("[0-9a-fA-F:.]+");
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (IOException e) {
      return null;
    }
  }

  private SSLSocket handshake(Socket tcp, DerpServer server) throws IOException {
    String cert = server.certName();
    boolean pinned = cert.startsWith(SHA256_RAW);
    String identity = !cert.isEmpty() && !pinned ? cert : server.hostName();
    SSLContext context;
    try {
      context = contextFor(server, pinned);
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS setup: " + e.getMessage(), e);
    }
    SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(tcp, identity, server.port(), true);
    SSLParameters params = tls.getSSLParameters();
    if (literal(server.hostName()) == null) {
      params.setServerNames(List.of(new SNIHostName(server.hostName())));
    }
    if (!server.insecureForTests() && !pinned) {
      // The JDK checks the certificate against `identity` (CertName, or HostName without one).
      params.setEndpointIdentificationAlgorithm("HTTPS");
    }
    tls.setSSLParameters(params);
    tls.startHandshake();
    return tls;
  }

  private SSLContext contextFor(DerpServer server, boolean pinned) throws GeneralSecurityException {
    if (!server.insecureForTests() && !pinned) {
      return trustContext != null ? trustContext : SSLContext.getDefault();
    }
    byte[] pin =
        pinned ? HexFormat.of().parseHex(server.certName().substring(SHA256_RAW.length())) : null;
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new AcceptingTrust(pin)}, new SecureRandom());
    return context;
  }

  /** Writes the upgrade request and reads the answer head up to its blank line. */
  static void upgrade(Socket s, DerpServer server) throws IOException {
    String host =
        server.derpPort() == 0 || server.derpPort() == 443
            ? server.hostName()
            : server.hostName() + ":" + server.derpPort();
    String request =
        "GET /derp HTTP/1.1\r\nHost: "
            + host
            + "\r\nUser-Agent: peerrelay\r\nUpgrade: DERP\r\nConnection: Upgrade\r\n\r\n";
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    String head = readHead(s.getInputStream());
    String status = head.lines().findFirst().orElse("");
    if (!status.matches("HTTP/1\\.[01] 101( .*)?")) {
      throw new IOException(
          "DERP upgrade refused: '" + status + "' (want 101 Switching Protocols)");
    }
    if (!head.toLowerCase(Locale.ROOT).contains("\nupgrade: derp")) {
      throw new IOException("DERP upgrade answer has no 'Upgrade: DERP' header");
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("DERP server closed the connection during the HTTP upgrade");
      }
      if (head.size() >= MAX_RESPONSE_HEAD) {
        throw new IOException("DERP upgrade answer head over " + MAX_RESPONSE_HEAD + " bytes");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * Trusts any certificate ({@code InsecureForTests}) or exactly the one whose SHA-256 is pinned.
   */
  private static final class AcceptingTrust implements X509TrustManager {
    private final byte[] pin;

    AcceptingTrust(byte[] pin) {
      this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (pin == null) {
        return;
      }
      try {
        byte[] got = MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded());
        if (!MessageDigest.isEqual(got, pin)) {
          throw new CertificateException(
              "DERP certificate does not match the sha256-raw pin in CertName");
        }
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new CertificateException(e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
