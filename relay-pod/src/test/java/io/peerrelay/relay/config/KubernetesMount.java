package io.peerrelay.relay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A folder laid out the way the kubelet mounts a ConfigMap or Secret: {@code name -> ..data/name},
 * {@code ..data -> ..<version>}, updated by writing a new version folder and renaming a new {@code
 * ..data} symlink over the old one (atomic for readers).
 */
public final class KubernetesMount {
  private final Path folder;
  private int version;

  public KubernetesMount(Path folder) {
    this.folder = folder;
  }

  /** Publishes a new version holding {@code name} with {@code content}; returns the file path. */
  public Path publish(String name, String content) throws IOException {
    Path versionFolder = folder.resolve("..2026_11_24_22_00_00." + (++version));
    Files.createDirectories(versionFolder);
    Files.writeString(versionFolder.resolve(name), content, StandardCharsets.UTF_8);
    Path tmp = folder.resolve("..data_tmp");
    Files.deleteIfExists(tmp);
    Files.createSymbolicLink(tmp, versionFolder.getFileName());
    Files.move(tmp, folder.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Path file = folder.resolve(name);
    if (!Files.isSymbolicLink(file)) {
      Files.createSymbolicLink(file, Path.of("..data").resolve(name));
    }
    if (version > 1) {
      deleteRecursively(folder.resolve("..2026_11_24_22_00_00." + (version - 1)));
    }
    return file;
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (var files = Files.walk(path)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
