package io.peerrelay.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real helm (and kubectl) of the project's tools cache for the chart tests. */
final class HelmRun {

  static final Path ROOT = ToolPaths.projectRoot();
  static final Path CHART = ROOT.resolve("helm/peerrelay");

  private HelmRun() {}

  /** What a command printed (stdout and stderr) and its exit code. */
  record Result(int exit, String output) {}

  static String helm() {
    return ToolPaths.locate().binary("helm").toString();
  }

  /** helm with {@code args} against the control plane of {@code kubeconfig}; must succeed. */
  static String helm(Path kubeconfig, String... args) throws IOException, InterruptedException {
    return run(helmCommand(kubeconfig, args), null);
  }

  /** helm with {@code args} against the control plane of {@code kubeconfig}, whatever the exit. */
  static Result tryHelm(Path kubeconfig, String... args) throws IOException, InterruptedException {
    return exec(helmCommand(kubeconfig, args), null);
  }

  private static List<String> helmCommand(Path kubeconfig, String... args) {
    List<String> cmd = new ArrayList<>(List.of(helm(), "--kubeconfig", kubeconfig.toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs {@code command} with {@code stdin} (or none) and fails the test on a non-zero exit. */
  static String run(List<String> command, String stdin) throws IOException, InterruptedException {
    Result r = exec(command, stdin);
    assertThat(r.exit()).as("%s failed:%n%s", command, r.output()).isZero();
    return r.output();
  }

  private static Result exec(List<String> command, String stdin)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command);
    }
    return new Result(p.exitValue(), out);
  }
}
