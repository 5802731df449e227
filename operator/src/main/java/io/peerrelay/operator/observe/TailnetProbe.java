package io.peerrelay.operator.observe;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks relays' side ports {@code GET /tailnet} (plain HTTP on the pod's address: relay pods hold no
 * API credentials, so the operator asks them, not the other way round), all replicas at once, each
 * with a short time limit, so a hung relay costs a reconcile at most {@link #TIMEOUT}.
 */
public final class TailnetProbe {

  /** How long one answer may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Path of the relay's tailnet state on its side port. */
  public static final String PATH = "/tailnet";

  /** The largest answer read: the JSON is a few hundred bytes; a relay pod faces the internet. */
  static final int MAX_BODY = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  /** The report of each replica's side port ({@code ip:port}); a failure is a report too. */
  public Map<Integer, TailnetReport> probe(Map<Integer, Endpoint> sidePorts) {
    Map<Integer, CompletableFuture<TailnetReport>> pending = new HashMap<>();
    sidePorts.forEach((i, at) -> pending.put(i, ask(at)));
    Map<Integer, TailnetReport> out = new TreeMap<>();
    pending.forEach((i, answer) -> out.put(i, await(answer, sidePorts.get(i))));
    return out;
  }

  private CompletableFuture<TailnetReport> ask(Endpoint at) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + at + PATH)).timeout(TIMEOUT).GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(response -> read(response, at));
  }

  private static TailnetReport await(CompletableFuture<TailnetReport> answer, Endpoint at) {
    try {
      return answer.get(2 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TailnetReport.notAnswering(PATH + " on " + at + ": interrupted");
    } catch (ExecutionException | TimeoutException e) {
      answer.cancel(true);
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return TailnetReport.notAnswering(PATH + " on " + at + " did not answer: " + cause);
    }
  }

  /** Parses one answer; anything but a 200 with a small JSON object is "not answering". */
  static TailnetReport read(HttpResponse<InputStream> response, Endpoint at) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(MAX_BODY + 1);
      if (response.statusCode() != 200) {
        return TailnetReport.notAnswering(
            PATH + " on " + at + " answered HTTP " + response.statusCode());
      }
      if (bytes.length > MAX_BODY) {
        return TailnetReport.notAnswering(PATH + " on " + at + " answered over 64 KiB");
      }
      return parse(bytes, at);
    } catch (IOException e) {
      return TailnetReport.notAnswering(PATH + " on " + at + ": " + e.getMessage());
    }
  }

  static TailnetReport parse(byte[] json, Endpoint at) {
    try {
      TailnetReport report = JSON.readValue(json, TailnetReport.class);
      return report == null ? TailnetReport.notAnswering(PATH + " on " + at + ": empty") : report;
    } catch (IOException e) {
      return TailnetReport.notAnswering(PATH + " on " + at + " answered no tailnet JSON");
    }
  }
}
