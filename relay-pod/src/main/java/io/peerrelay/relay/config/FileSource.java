package io.peerrelay.relay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the relay's files come from. Each version of a file is read through this exactly once and
 * everything (parse, hash, compare) works on those bytes, so a kubelet swapping the {@code ..data}
 * symlink between two reads cannot make the relay apply one version and report another.
 */
@FunctionalInterface
public interface FileSource {
  /** The file system itself. */
  FileSource DISK = Files::readAllBytes;

  /** The whole file as it is now. */
  byte[] read(Path file) throws IOException;
}
