package io.peerrelay.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** Locates the project root, the pinned tool versions and the Go-built binaries of e2e/tools. */
public final class ToolPaths {

  private final Path root;
  private final Map<String, String> versions;
  private final Path binDir;

  private ToolPaths(Path root, Map<String, String> versions, Path binDir) {
    this.root = root;
    this.versions = versions;
    this.binDir = binDir;
  }

  /** Finds the tools the same way e2e/tools/build.sh places them. */
  public static ToolPaths locate() {
    Path root = projectRoot();
    Map<String, String> versions = readVersions(root.resolve("e2e/tools/versions.env"));
    String cache = System.getenv("PEERRELAY_TOOLS_CACHE");
    Path cacheDir =
        cache != null && !cache.isBlank()
            ? Paths.get(cache)
            : Paths.get(System.getProperty("user.home"), ".cache", "peerrelay", "tools");
    return new ToolPaths(root, versions, cacheDir.resolve("bin"));
  }

  /** The project root: the system property set by the build, else the nearest parent with e2e/. */
  public static Path projectRoot() {
    String prop = System.getProperty("peerrelay.root");
    if (prop != null && Files.isDirectory(Paths.get(prop, "e2e", "tools"))) {
      return Paths.get(prop).toAbsolutePath().normalize();
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("e2e/tools/versions.env"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "cannot find the project root (a folder with e2e/tools/versions.env) above "
            + Paths.get("").toAbsolutePath());
  }

  private static Map<String, String> readVersions(Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#") || !l.contains("=")) {
          continue;
        }
        int eq = l.indexOf('=');
        out.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  public Path root() {
    return root;
  }

  public String kubernetesVersion() {
    return versions.getOrDefault("KUBERNETES_VERSION", "unknown");
  }

  /** The path of a built tool, failing with the command that builds it when it is missing. */
  public Path binary(String name) {
    Path p = binDir.resolve(name);
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(
          name
              + " not found at "
              + p
              + ": build the local control plane first with `e2e/tools/build.sh` (it compiles"
              + " the pinned Kubernetes, etcd and helm versions from the Go module proxy)");
    }
    return p;
  }
}
