package io.peerrelay.operator.observe;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.util.function.Function;

/**
 * Asks relays' side ports for one JSON document (plain HTTP on the pod's address: relay pods hold
 * no API credentials, so the operator asks them, not the other way round), all replicas at once,
 * each with a short time limit, so a hung relay costs a reconcile at most {@link #TIMEOUT}. Used
 * for {@code GET /tailnet} ({@link TailnetProbe}) and {@code GET /config} ({@link ConfigReport}).
 *
 * @param <T> the report type; a failure is a report too
 */
public final class SidePortProbe<T> {

  /** How long one answer may take. */
  public static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The largest answer read: the JSON is a few hundred bytes; a relay pod faces the internet. */
  static final int MAX_BODY = 64 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(TIMEOUT)
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final String path;
  private final Class<T> type;
  private final Function<String, T> notAnswering;
  private final String what;

  /**
   * @param path the side port's route
   * @param type the JSON's type
   * @param notAnswering the report for a side port that gave no usable answer, and why
   * @param what what the JSON is, for messages ("tailnet JSON")
   */
  public SidePortProbe(String path, Class<T> type, Function<String, T> notAnswering, String what) {
    this.path = path;
    this.type = type;
    this.notAnswering = notAnswering;
    this.what = what;
  }

  /** The report of each replica's side port ({@code ip:port}); a failure is a report too. */
  public Map<Integer, T> probe(Map<Integer, Endpoint> sidePorts) {
    Map<Integer, CompletableFuture<T>> pending = new HashMap<>();
    sidePorts.forEach((i, at) -> pending.put(i, ask(at)));
    Map<Integer, T> out = new TreeMap<>();
    pending.forEach((i, answer) -> out.put(i, await(answer, sidePorts.get(i))));
    return out;
  }

  private CompletableFuture<T> ask(Endpoint at) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + at + path)).timeout(TIMEOUT).GET().build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
        .thenApply(response -> read(response, at));
  }

  private T await(CompletableFuture<T> answer, Endpoint at) {
    try {
      return answer.get(2 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return notAnswering.apply(path + " on " + at + ": interrupted");
    } catch (ExecutionException | TimeoutException e) {
      answer.cancel(true);
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return notAnswering.apply(path + " on " + at + " did not answer: " + cause);
    }
  }

  /** Parses one answer; anything but a 200 with a small JSON object is "not answering". */
  T read(HttpResponse<InputStream> response, Endpoint at) {
    try (InputStream body = response.body()) {
      byte[] bytes = body.readNBytes(MAX_BODY + 1);
      if (response.statusCode() != 200) {
        return notAnswering.apply(path + " on " + at + " answered HTTP " + response.statusCode());
      }
      if (bytes.length > MAX_BODY) {
        return notAnswering.apply(path + " on " + at + " answered over 64 KiB");
      }
      return parse(bytes, at);
    } catch (IOException e) {
      return notAnswering.apply(path + " on " + at + ": " + e.getMessage());
    }
  }

  T parse(byte[] json, Endpoint at) {
    try {
      T report = JSON.readValue(json, type);
      return report == null ? notAnswering.apply(path + " on " + at + ": empty") : report;
    } catch (IOException e) {
      return notAnswering.apply(path + " on " + at + " answered no " + what);
    }
  }
}
