package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config refused at start leaves one line for the kubelet's termination message. */
class ServeCommandTerminationLogTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int serve(Path config, Path terminationLog) {
    return Cli.execute(
        new ServeCommand(),
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        "--config",
        config.toString(),
        "--termination-log",
        terminationLog.toString());
  }

  private Path refusedConfig() throws Exception {
    Path config = dir.resolve("relay.yaml");
    Files.writeString(
        config,
        "version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: private.key\n"
            + "lifetimes: {steadyState: 0s}\n");
    return config;
  }

  @Test
  void aRefusedConfigWritesFieldColonErrorAndExitsNonZero() throws Exception {
    Path log = dir.resolve("termination-log");

    int code = serve(refusedConfig(), log);

    assertThat(code).isEqualTo(2);
    assertThat(Files.readString(log)).isEqualTo("lifetimes.steadyState: 0s must be more than 0");
    assertThat(err.toString()).contains("lifetimes.steadyState: 0s must be more than 0");
  }

  @Test
  void nothingIsWrittenWhenTheFolderDoesNotExist() throws Exception {
    Path log = dir.resolve("no-such-folder").resolve("termination-log");

    int code = serve(refusedConfig(), log);

    assertThat(code).isEqualTo(2);
    assertThat(log.getParent()).doesNotExist();
    assertThat(err.toString()).doesNotContain("cannot write");
  }

  /** Runs serve without --termination-log, its default path pointed at {@code defaultLog}. */
  private int serveWithDefault(Path config, Path defaultLog) {
    ServeCommand command = new ServeCommand();
    command.defaultTerminationLog = defaultLog;
    return Cli.execute(
        command,
        new PrintWriter(new StringWriter(), true),
        new PrintWriter(err, true),
        "--config",
        config.toString());
  }

  @Test
  void withoutTheFlagAMissingDefaultFileIsNotCreated() throws Exception {
    Path log = dir.resolve("termination-log");

    int code = serveWithDefault(refusedConfig(), log);

    assertThat(code).isEqualTo(2);
    assertThat(log).as("a bare host's /dev must not get a regular file").doesNotExist();
    assertThat(err.toString()).contains("lifetimes.steadyState: 0s must be more than 0");
  }

  @Test
  void withoutTheFlagAnExistingDefaultFileIsWritten() throws Exception {
    Path log = Files.createFile(dir.resolve("termination-log"));

    int code = serveWithDefault(refusedConfig(), log);

    assertThat(code).isEqualTo(2);
    assertThat(Files.readString(log)).isEqualTo("lifetimes.steadyState: 0s must be more than 0");
  }
}
