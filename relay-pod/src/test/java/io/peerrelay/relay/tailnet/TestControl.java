package io.peerrelay.relay.tailnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Tailscale's test control server (e2e/go/cmd/testcontrol) as a child process on 127.0.0.1, driven
 * by one-line commands on its stdin.
 */
final class TestControl implements AutoCloseable {
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final String url;

  TestControl(String authKey) throws IOException, InterruptedException {
    process =
        new ProcessBuilder(GoTool.binary("testcontrol").toString(), "-authkey", authKey)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("EOF " + e.getMessage());
              }
            },
            "testcontrol-stdout");
    reader.setDaemon(true);
    reader.start();
    String first = next();
    if (!first.startsWith("URL http://127.0.0.1:")) {
      throw new IllegalStateException("testcontrol said " + first);
    }
    url = first.substring(4);
  }

  String url() {
    return url;
  }

  /** Sends one command and returns its one-line answer. */
  synchronized String command(String command) throws IOException, InterruptedException {
    stdin.write(command + "\n");
    stdin.flush();
    return next();
  }

  private String next() throws InterruptedException {
    String line = lines.poll(30, TimeUnit.SECONDS);
    if (line == null) {
      throw new IllegalStateException("testcontrol answered nothing within 30s");
    }
    return line;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
