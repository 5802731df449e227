package io.peerrelay.relay.cli;

import io.peerrelay.relay.config.ConfigRefusal;
import io.peerrelay.relay.config.GoDuration;
import io.peerrelay.relay.config.InvalidConfigException;
import io.peerrelay.relay.http.BearerToken;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the relay until SIGTERM (or SIGINT), then drains and stops. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the relay: bind the UDP port and the HTTP side port named in the config file, apply"
          + " config changes live, and drain on SIGTERM (no new allocations, readiness 503,"
          + " forwarding continues for shutdown.drain)."
    })
public class ServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Inject ShutdownDrain shutdownDrain;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      required = true,
      description = "The relay config file (YAML, version 1).")
  Path config;

  @Option(
      names = "--bind-v4",
      paramLabel = "ADDR",
      defaultValue = "0.0.0.0",
      description = "IPv4 address for the UDP port (default: ${DEFAULT-VALUE}).")
  String bindV4;

  @Option(
      names = "--bind-v6",
      paramLabel = "ADDR",
      defaultValue = "::",
      description = "IPv6 address for the UDP port (default: ${DEFAULT-VALUE}).")
  String bindV6;

  @Option(names = "--no-ipv6", description = "Bind no IPv6 socket (hosts without IPv6).")
  boolean noIpv6;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "UDP event-loop threads, one socket each (default: the number of CPUs).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(
      names = "--recheck",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = GoDurationConverter.class,
      description =
          "Re-read the config and key files this often even without a file event (default:"
              + " ${DEFAULT-VALUE}).")
  Duration recheck;

  @Option(
      names = "--termination-log",
      paramLabel = "PATH",
      description =
          "Where a config refused at start is written as one line <field>: <error>, for the"
              + " kubelet's terminationMessagePath; nothing is written when its folder does not"
              + " exist. Without this option the line goes to /dev/termination-log only when"
              + " that file already exists (the kubelet creates it in every container).")
  Path terminationLog;

  /**
   * The kubelet's default terminationMessagePath. Written only when it already exists: on a bare
   * host {@code /dev} exists too, and a refused config must not leave a regular file there.
   */
  Path defaultTerminationLog = Path.of("/dev/termination-log");

  @Option(
      names = "--sessions-token-file",
      paramLabel = "PATH",
      description =
          "A file holding a bearer token: callers off the host that send Authorization: Bearer"
              + " <token> may read /sessions (without it, /sessions is served to loopback only).")
  Path sessionsTokenFile;

  @Override
  public Integer call() throws InterruptedException, IOException {
    PrintWriter err = spec.commandLine().getErr();
    BearerToken token;
    try {
      token = sessionsTokenFile == null ? null : BearerToken.fromFile(sessionsTokenFile);
    } catch (IllegalArgumentException e) {
      err.println("serve: " + e.getMessage());
      err.flush();
      return 2;
    }
    RunningRelay relay;
    try {
      relay =
          RunningRelay.start(
              config,
              new ServeOptions(
                  bindV4, noIpv6 ? null : bindV6, threads, Duration.ofMillis(200), recheck, token));
    } catch (InvalidConfigException e) {
      err.println("serve: " + config + ": " + e.getMessage());
      err.flush();
      writeTerminationLog(ConfigRefusal.of(e).terminationLine(), err);
      return 2;
    } catch (IOException | RuntimeException e) {
      // Typically a port in use; the message names it, a stack trace would bury it.
      err.println("serve: cannot start: " + e);
      err.flush();
      return 1;
    }
    shutdownDrain.drainAtShutdown(relay);
    relay.awaitStopped();
    return 0;
  }

  /**
   * Tells Kubernetes why the relay refused to start: the kubelet copies this file into the
   * container's {@code lastState.terminated.message}, where the operator reads it.
   */
  private void writeTerminationLog(String line, PrintWriter err) {
    Path target = terminationLog != null ? terminationLog : defaultTerminationLog;
    if (terminationLog == null && !Files.isRegularFile(defaultTerminationLog)) {
      return; // not in a container: stderr already has the line
    }
    Path folder = target.toAbsolutePath().getParent();
    if (folder == null || !Files.isDirectory(folder)) {
      return; // the path was turned off: stderr already has the line
    }
    try {
      Files.writeString(target, line, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("serve: cannot write --termination-log " + target + ": " + e);
      err.flush();
    }
  }

  /** Reads {@code --recheck 10s} as a Go duration, like the config file. */
  static final class GoDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration d = GoDuration.parse(value);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("must be more than 0");
      }
      return d;
    }
  }
}
