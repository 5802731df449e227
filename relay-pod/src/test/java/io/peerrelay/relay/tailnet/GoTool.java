package io.peerrelay.relay.tailnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Go test programs {@code e2e/go/cmd/<name>} (one module for every Go program the tests run;
 * e2e/TESTING.md), each built on demand into {@code ~/.cache/peerrelay/tools/<name>-<digest>/} (the
 * digest covers the module's go.mod and go.sum, the program's package and the shared internal
 * packages, so an edit rebuilds and an unchanged tree reuses the binary). A missing Go toolchain
 * fails the test: the proofs against Tailscale's code are not optional.
 */
public final class GoTool {
  private GoTool() {}

  /** The binary of {@code e2e/go/cmd/<name>}, built now if this source version has none yet. */
  public static synchronized Path binary(String name) throws IOException, InterruptedException {
    Path src = moduleDir();
    Path dir =
        Path.of(System.getProperty("user.home"), ".cache", "peerrelay", "tools")
            .resolve(name + "-" + digest(src, name));
    Path bin = dir.resolve(name);
    if (Files.isExecutable(bin)) {
      return bin;
    }
    Files.createDirectories(dir);
    Path tmp = dir.resolve(name + ".tmp");
    ProcessBuilder pb =
        new ProcessBuilder("go", "build", "-trimpath", "-o", tmp.toString(), "./cmd/" + name)
            .directory(src.toFile())
            .redirectErrorStream(true);
    pb.environment().put("GOFLAGS", "-mod=mod");
    pb.environment().put("CGO_ENABLED", "0");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "Go is needed to build "
              + src
              + " (install Go 1.26 and put go on PATH): "
              + e.getMessage(),
          e);
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("go build in " + src + " failed:\n" + output);
    }
    Files.move(tmp, bin, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return bin;
  }

  /** The DERP vectors and peer program. */
  public static Path derpvectors() throws IOException, InterruptedException {
    return binary("derpvectors");
  }

  /** The module e2e/go, found from the working directory up (the module's or the root's). */
  static Path moduleDir() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path c = d.resolve("e2e/go");
      if (Files.isRegularFile(c.resolve("go.mod"))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "e2e/go/go.mod not found above " + Path.of("").toAbsolutePath());
  }

  private static String digest(Path module, String name) throws IOException {
    try (Stream<Path> files =
        Stream.of(module.resolve("cmd").resolve(name), module.resolve("internal"))
            .filter(Files::isDirectory)
            .flatMap(GoTool::walk)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      List<Path> sources =
          Stream.concat(
                  Stream.of(module.resolve("go.mod"), module.resolve("go.sum")),
                  files.filter(f -> f.toString().endsWith(".go")).sorted())
              .toList();
      for (Path f : sources) {
        md.update(module.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> walk(Path dir) {
    try {
      return Files.walk(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running Go tool: its stdout lines queued, stderr kept for failure messages. */
  public static final class Running implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private Running(Process process) {
      this.process = process;
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l; (l = r.readLine()) != null; ) {
                    synchronized (all) {
                      all.add(l);
                    }
                    lines.add(l);
                  }
                } catch (IOException e) {
                  // The process ended.
                }
              },
              "go-tool-stdout");
      t.setDaemon(true);
      t.start();
    }

    /** Starts {@code derpvectors args...}; stderr goes to {@code stderrFile}. */
    public static Running start(Path stderrFile, String... args)
        throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.add(derpvectors().toString());
      cmd.addAll(List.of(args));
      return new Running(new ProcessBuilder(cmd).redirectError(stderrFile.toFile()).start());
    }

    /**
     * The next stdout line starting with {@code prefix} within 30 s; fails with what was printed.
     */
    public String await(String prefix) throws InterruptedException {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < end) {
        String l = lines.poll(100, TimeUnit.MILLISECONDS);
        if (l != null && l.startsWith(prefix)) {
          return l;
        }
        if (l != null && l.startsWith("FAIL")) {
          throw new AssertionError("Go tool failed: " + l + "\nall output:\n" + output());
        }
      }
      throw new AssertionError("no line starting '" + prefix + "' in 30 s; output:\n" + output());
    }

    /** Waits for the exit; returns the exit code. */
    public int waitFor(long seconds) throws InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError(
            "Go tool still running after " + seconds + " s; output:\n" + output());
      }
      return process.exitValue();
    }

    /** Everything printed on stdout so far. */
    public String output() {
      synchronized (all) {
        return String.join("\n", all);
      }
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close();
      } catch (IOException e) {
        // Already gone.
      }
      process.destroy();
    }
  }
}
