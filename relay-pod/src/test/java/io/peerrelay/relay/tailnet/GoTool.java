package io.peerrelay.relay.tailnet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Builds a Go program under relay-pod/src/test/go/ once per source version, caching the binary in
 * ~/.cache/peerrelay/tools. A test that needs one fails (not skips) when Go is missing.
 */
final class GoTool {
  private static final Path SOURCES = Path.of("src/test/go");

  private GoTool() {}

  /** The binary of src/test/go/{@code name}, built now if this source version has none yet. */
  static synchronized Path binary(String name) throws IOException, InterruptedException {
    Path dir = SOURCES.resolve(name).toAbsolutePath();
    String hash = hash(dir.resolve("main.go"), dir.resolve("go.mod"), dir.resolve("go.sum"));
    Path out =
        Path.of(System.getProperty("user.home"), ".cache", "peerrelay", "tools")
            .resolve(name + "-" + hash)
            .resolve(name);
    if (Files.isExecutable(out)) {
      return out;
    }
    Files.createDirectories(out.getParent());
    Path log = out.resolveSibling("build.log");
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-trimpath", "-o", out + ".tmp", ".")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("GOFLAGS", "-mod=mod");
    pb.environment().put("CGO_ENABLED", "0");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "building " + dir + " needs Go 1.26 on PATH (go not found): install Go to run this test",
          e);
    }
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("go build in " + dir + " failed:\n" + Files.readString(log));
    }
    Files.move(Path.of(out + ".tmp"), out);
    return out;
  }

  private static String hash(Path... files) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path f : files) {
        sha.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(sha.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
