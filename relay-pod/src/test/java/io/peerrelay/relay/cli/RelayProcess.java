package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.testsupport.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built relay program ({@code quarkus-run.jar}) run as a real process, the one way the process
 * ITs start it: under the control-plane tests' watchdog, so a test JVM killed mid-run leaves no
 * relay holding its ports, with its output and errors in files of the test's folder.
 */
final class RelayProcess implements AutoCloseable {
  private final ManagedProcess process;

  private RelayProcess(ManagedProcess process) {
    this.process = process;
  }

  /** The jar the build made (the ITs run after packaging). */
  static Path jar() {
    Path jar =
        Path.of(
            System.getProperty("peerrelay.buildDir", "target"), "quarkus-app", "quarkus-run.jar");
    assertThat(jar).exists();
    return jar;
  }

  /**
   * Starts {@code java <jvmFlags> -jar quarkus-run.jar <args>} with its output in {@code stdout}
   * and its errors in {@code stderr}.
   */
  static RelayProcess start(
      String name, Path stdout, Path stderr, List<String> jvmFlags, List<String> args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    return new RelayProcess(ManagedProcess.start(name, stdout, stderr, command));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
    return process.waitFor(timeout, unit);
  }

  /** The relay's own exit status (the watchdog passes it through; 143 after SIGTERM). */
  int exitValue() {
    return process.exitValue();
  }

  /** SIGTERM, as the kubelet sends it; does not wait. */
  void terminate() {
    process.terminate();
  }

  /** Stops it (SIGTERM, then SIGKILL after a grace period) and waits. */
  @Override
  public void close() {
    process.stop();
  }
}
