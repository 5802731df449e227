package io.peerrelay.relay.tailnet.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches the control server's Noise public key: {@code GET /key?v=<capver>} answers {@code
 * {"legacyPublicKey":"mkey:...","publicKey":"mkey:..."}}; the Noise handshake needs publicKey.
 */
public final class ControlKeyFetcher {
  private static final int MAX_BODY = 64 * 1024;

  private final HttpClient http;
  private final Duration timeout;

  /** A fetcher whose requests give up after {@code timeout}. */
  public ControlKeyFetcher(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /**
   * The control server's Noise key.
   *
   * @throws IOException if the server cannot be reached or its answer holds no usable key
   */
  public TailnetKey fetch(ControlUrl url) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(url.base() + "/key?v=" + ControlProtocol.CAPABILITY_VERSION))
            .timeout(timeout)
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching the control key", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(
          "GET " + url.base() + "/key answered HTTP " + response.statusCode() + ", want 200");
    }
    byte[] body = response.body();
    if (body.length > MAX_BODY) {
      throw new IOException("GET " + url.base() + "/key answered more than 64 KiB");
    }
    return parse(url, body);
  }

  static TailnetKey parse(ControlUrl url, byte[] body) throws IOException {
    JsonNode json;
    try {
      json = ControlRequests.JSON.readTree(body);
    } catch (IOException e) {
      throw new IOException("GET " + url.base() + "/key did not answer JSON", e);
    }
    String key = json == null ? null : json.path("publicKey").asText(null);
    if (key == null || key.isEmpty()) {
      throw new IOException(
          "GET "
              + url.base()
              + "/key has no publicKey: the server does not speak the ts2021 protocol");
    }
    try {
      return TailnetKey.parse(TailnetKey.Kind.MACHINE, key);
    } catch (IllegalArgumentException e) {
      throw new IOException("GET " + url.base() + "/key: " + e.getMessage(), e);
    }
  }
}
