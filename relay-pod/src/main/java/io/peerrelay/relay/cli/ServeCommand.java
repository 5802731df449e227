package io.peerrelay.relay.cli;

import io.peerrelay.relay.config.ConfigRefusal;
import io.peerrelay.relay.config.GoDuration;
import io.peerrelay.relay.config.InvalidConfigException;
import io.peerrelay.relay.http.BearerToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Runs the relay until SIGTERM (or SIGINT), then drains and stops. */
public class ServeCommand extends CliCommand {
  static final CliSpec SPEC =
      CliSpec.command(
              "serve",
              "Run the relay: bind the UDP port and the HTTP side port named in the config file, apply"
                  + " config changes live, and drain on SIGTERM (no new allocations, readiness 503,"
                  + " forwarding continues for shutdown.drain).")
          .required("--config", "FILE", "The relay config file (YAML, version 1).")
          .option(
              "--bind-v4", "ADDR", "0.0.0.0", "IPv4 address for the UDP port (default: 0.0.0.0).")
          .option("--bind-v6", "ADDR", "::", "IPv6 address for the UDP port (default: ::).")
          .flag("--no-ipv6", "Bind no IPv6 socket (hosts without IPv6).")
          .option(
              "--threads",
              "N",
              null,
              "UDP event-loop threads, one socket each (default: the number of CPUs).")
          .option(
              "--recheck",
              "DURATION",
              "10s",
              "Re-read the config and key files this often even without a file event (default:"
                  + " 10s).")
          .option(
              "--termination-log",
              "PATH",
              null,
              "Where a config refused at start is written as one line <field>: <error>, for the"
                  + " kubelet's terminationMessagePath; nothing is written when its folder does not"
                  + " exist. Without this option the line goes to /dev/termination-log only when"
                  + " that file already exists (the kubelet creates it in every container).")
          .option(
              "--sessions-token-file",
              "PATH",
              null,
              "A file holding a bearer token: callers off the host that send Authorization: Bearer"
                  + " <token> may read /sessions (without it, /sessions is served to loopback"
                  + " only).");

  /** Set by {@link PeerRelayMain}; null in tests that never get past a refused config. */
  ShutdownDrain shutdownDrain;

  Path config;
  String bindV4;
  String bindV6;
  boolean noIpv6;
  int threads = Runtime.getRuntime().availableProcessors();
  Duration recheck;
  Path terminationLog;

  /**
   * The kubelet's default terminationMessagePath. Written only when it already exists: on a bare
   * host {@code /dev} exists too, and a refused config must not leave a regular file there.
   */
  Path defaultTerminationLog = Path.of("/dev/termination-log");

  Path sessionsTokenFile;

  @Override
  CliSpec spec() {
    return SPEC;
  }

  @Override
  void accept(CliArgs args) {
    config = args.path("--config");
    bindV4 = args.text("--bind-v4");
    bindV6 = args.text("--bind-v6");
    noIpv6 = args.flag("--no-ipv6");
    if (args.has("--threads")) {
      threads = args.positiveInteger("--threads");
    }
    recheck = args.value("--recheck", ServeCommand::positiveDuration);
    terminationLog = args.path("--termination-log");
    sessionsTokenFile = args.path("--sessions-token-file");
  }

  @Override
  int call() throws InterruptedException, IOException {
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
  static Duration positiveDuration(String value) {
    Duration d = GoDuration.parse(value);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("must be more than 0");
    }
    return d;
  }
}
