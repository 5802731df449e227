package io.peerrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Loopback ports and the readiness probes of the local control plane's processes. */
final class Probes {

  private Probes() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when {@code url} answers 200 (with {@code bearer} as token unless null). */
  static boolean httpOk(String url, String bearer) {
    try {
      HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).build();
      HttpRequest.Builder req =
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2));
      if (bearer != null) {
        req.header("Authorization", "Bearer " + bearer);
      }
      return http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  // Only for the readiness probe before the CA file exists; the clients verify the CA.
  private static SSLContext trustAll() {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(
          null,
          new TrustManager[] {
            new X509TrustManager() {
              @Override
              public void checkClientTrusted(X509Certificate[] c, String a) {}

              @Override
              public void checkServerTrusted(X509Certificate[] c, String a) {}

              @Override
              public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
              }
            }
          },
          new SecureRandom());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
