package io.peerrelay.operator.api;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from a test's working directory (the folder with e2e/tools). */
public final class ProjectRoot {

  private ProjectRoot() {}

  /** Walks up from the working directory to the folder containing e2e/tools/versions.env. */
  public static Path find() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("e2e/tools/versions.env"))) {
        return p;
      }
    }
    throw new IllegalStateException("no e2e/tools/versions.env above " + dir);
  }
}
