package io.peerrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Prints a running relay's sessions, as {@code tailscale debug peer-relay-sessions} does. */
public class SessionsCommand extends CliCommand {
  static final CliSpec SPEC =
      CliSpec.command(
              "sessions",
              "List the sessions of a running relay (read from its HTTP side port).",
              "Two lines per session, sorted by VNI, one per direction:",
              "  <ip:port>(<short disco key>) --> <ip:port>(<short disco key>), Packets: N Bytes: M",
              "counting what the relay received from the left-hand client; <no handshake> marks a"
                  + " leg that has not bound yet.")
          .option(
              "--url",
              "URL",
              "http://127.0.0.1:9090",
              "Base URL of the relay's HTTP side port (default: http://127.0.0.1:9090).")
          .option(
              "--token-file",
              "PATH",
              null,
              "Send the bearer token in PATH (the relay's --sessions-token-file), for a relay on"
                  + " another host.");

  /**
   * Made at first use: an ObjectMapper in a static field would load Jackson's data binding into
   * every {@code serve}, whose start makes every command's spec.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  String url;
  Path tokenFile;

  @Override
  CliSpec spec() {
    return SPEC;
  }

  @Override
  void accept(CliArgs args) {
    url = args.text("--url");
    tokenFile = args.path("--token-file");
  }

  /** Sessions asked for per request; the relay pages its listing (at most 5000 a page). */
  static final int PAGE = 5000;

  @Override
  int call() throws InterruptedException {
    String base = url.replaceAll("/+$", "") + "/sessions";
    String authorization;
    try {
      authorization =
          tokenFile == null
              ? null
              : "Bearer " + Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      err.println("sessions: --token-file " + tokenFile + ": cannot read it (" + e + ")");
      return 1;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ObjectNode merged = null;
    String after = null;
    do {
      String target = base + "?limit=" + PAGE + (after == null ? "" : "&after=" + after);
      JsonNode page = fetch(http, target, authorization, err);
      if (page == null) {
        return 1;
      }
      merged = merge(merged, page);
      JsonNode next = page.path("next");
      if (next.isIntegralNumber() && after != null && next.asLong() <= Long.parseLong(after)) {
        // A cursor that does not advance would page forever.
        err.println("sessions: " + target + " answered next=" + next + ", not after " + after);
        return 1;
      }
      after = next.isIntegralNumber() ? next.asText() : null;
    } while (after != null);
    SessionListingText.lines(merged).forEach(out::println);
    out.flush();
    return 0;
  }

  /** One page as JSON, or null after printing why it could not be read. */
  private static JsonNode fetch(
      HttpClient http, String target, String authorization, PrintWriter err)
      throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println("sessions: cannot connect to " + target + " (is the relay running?)");
      return null;
    } catch (IOException | IllegalArgumentException e) {
      err.println("sessions: " + target + ": " + e.getMessage());
      return null;
    }
    if (response.statusCode() != 200) {
      err.println(
          "sessions: "
              + target
              + " answered HTTP "
              + response.statusCode()
              + (response.body().isBlank() ? "" : ": " + response.body().strip()));
      return null;
    }
    try {
      return Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      err.println("sessions: " + target + " did not answer JSON: " + e.getMessage());
      return null;
    }
  }

  /** Appends a page's sessions to what was read so far (the first page gives the rest). */
  private static ObjectNode merge(ObjectNode merged, JsonNode page) {
    if (merged == null) {
      merged = page.isObject() ? ((ObjectNode) page).deepCopy() : Json.MAPPER.createObjectNode();
      merged.remove("next");
      merged.putArray("Sessions");
    }
    JsonNode sessions = page.path("Sessions");
    if (sessions.isArray()) {
      ((ArrayNode) merged.get("Sessions")).addAll((ArrayNode) sessions);
    }
    return merged;
  }
}
