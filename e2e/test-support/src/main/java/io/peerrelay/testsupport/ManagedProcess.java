package io.peerrelay.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process that cannot outlive the JVM that started it.
 *
 * <p>A shutdown hook cannot run when the JVM is killed with SIGKILL (a CI timeout, an IDE stop
 * button), and etcd or kube-apiserver left behind hold ports and disk. So every child runs under a
 * tiny bash watchdog that polls the JVM's pid and stops the child when the JVM is gone; a normal
 * {@link #stop()} sends SIGTERM to the watchdog, which forwards it and waits. The watchdog exits
 * with the child's own exit status, so a test can assert how the child ended.
 *
 * <p>Public so that the relay module's process tests run the relay under the same watchdog.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final String WATCHDOG =
      "\"$@\" & c=$!; trap 'kill -TERM $c 2>/dev/null; wait $c; exit $?' TERM INT; "
          + "while kill -0 \"$PEERRELAY_PARENT_PID\" 2>/dev/null && kill -0 $c 2>/dev/null;"
          + " do sleep 0.5; done; kill -TERM $c 2>/dev/null; wait $c";

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with its output and errors appended to {@code log}. */
  public static ManagedProcess start(String name, Path log, List<String> command)
      throws IOException {
    ProcessBuilder pb = watched(name, command);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return new ManagedProcess(name, pb.start(), log);
  }

  /** Starts {@code command} with its output in {@code stdout} and its errors in {@code stderr}. */
  public static ManagedProcess start(String name, Path stdout, Path stderr, List<String> command)
      throws IOException {
    ProcessBuilder pb = watched(name, command);
    pb.redirectOutput(stdout.toFile());
    pb.redirectError(stderr.toFile());
    return new ManagedProcess(name, pb.start(), stderr);
  }

  private static ProcessBuilder watched(String name, List<String> command) {
    List<String> full = new ArrayList<>(List.of("bash", "-c", WATCHDOG, name));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.environment().put("PEERRELAY_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
    return pb;
  }

  public String name() {
    return name;
  }

  /** Where the child's errors go. */
  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the child to end; true if it did within the time. */
  public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitFor(timeout, unit);
  }

  /** The child's exit status (128 + signal when a signal ended it). */
  public int exitValue() {
    return process.exitValue();
  }

  /** Asks the child to stop (SIGTERM, forwarded by the watchdog) without waiting. */
  public void terminate() {
    process.destroy();
  }

  /** Stops the child (SIGTERM, then SIGKILL of the whole tree after a grace period). */
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle h : tree) {
      if (h.isAlive()) {
        h.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
