package io.peerrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints a running relay's sessions, as {@code tailscale debug peer-relay-sessions} does. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = {
      "List the sessions of a running relay (read from its HTTP side port).",
      "Two lines per session, sorted by VNI, one per direction:",
      "  <ip:port>(<short disco key>) --> <ip:port>(<short disco key>), Packets: N Bytes: M",
      "counting what the relay received from the left-hand client; <no handshake> marks a leg that"
          + " has not bound yet."
    })
public class SessionsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:9090",
      description = "Base URL of the relay's HTTP side port (default: ${DEFAULT-VALUE}).")
  String url;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    String target = url.replaceAll("/+$", "") + "/sessions";
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(target))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      err.println("sessions: cannot connect to " + target + " (is the relay running?)");
      return 1;
    } catch (IOException | IllegalArgumentException e) {
      err.println("sessions: " + target + ": " + e.getMessage());
      return 1;
    }
    if (response.statusCode() != 200) {
      err.println("sessions: " + target + " answered HTTP " + response.statusCode());
      return 1;
    }
    JsonNode status;
    try {
      status = JSON.readTree(response.body());
    } catch (IOException e) {
      err.println("sessions: " + target + " did not answer JSON: " + e.getMessage());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    SessionListingText.lines(status).forEach(out::println);
    out.flush();
    return 0;
  }
}
