package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.config.ServerKeyFile;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Cli.execute(
        new KeygenCommand(), new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void printsAPrivateKeyAndItsPublicKey() {
    assertThat(run()).isZero();

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches("discoprivkey:[0-9a-f]{64}");
    assertThat(lines[1]).matches("discokey:[0-9a-f]{64}");
    assertThat(DiscoPrivateKey.parse(lines[0]).publicKey().toString()).isEqualTo(lines[1]);
  }

  @Test
  void twoRunsGiveTwoKeys() {
    run();
    run();

    String[] lines = out.toString().split("\n");
    assertThat(lines[0]).isNotEqualTo(lines[2]);
  }

  @Test
  void outWritesAnOwnerOnlyKeyFileTheRelayReadsAndPrintsOnlyThePublicKey() throws Exception {
    Path file = dir.resolve("private.key");

    assertThat(run("--out", file.toString())).isZero();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String printed = out.toString().strip();
    assertThat(printed).matches("discokey:[0-9a-f]{64}");
    assertThat(ServerKeyFile.read(file).publicKey().toString()).isEqualTo(printed);
    try (var leftovers = Files.list(dir)) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void neverOverwritesAnExistingKeyWithoutForce() throws Exception {
    Path file = dir.resolve("private.key");
    Files.writeString(file, "precious");

    assertThat(run("--out", file.toString())).isEqualTo(1);

    assertThat(Files.readString(file)).isEqualTo("precious");
    assertThat(err.toString()).contains("exists; pass --force to replace it");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void forceReplacesTheKeyWithModeSixHundred() throws Exception {
    Path file = dir.resolve("private.key");
    Files.writeString(file, "old");

    assertThat(run("--out", file.toString(), "--force")).isZero();

    assertThat(ServerKeyFile.read(file).publicKey().toString()).isEqualTo(out.toString().strip());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
