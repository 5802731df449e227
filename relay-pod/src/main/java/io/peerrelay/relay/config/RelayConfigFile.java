package io.peerrelay.relay.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a relay config file from disk; the parsing itself is {@link RelayConfigParser}'s. */
public final class RelayConfigFile {
  private RelayConfigFile() {}

  /**
   * Reads and parses {@code file}; a relative {@code keyFile} inside it is relative to its folder.
   *
   * @throws InvalidConfigException naming each bad field, or saying why the file cannot be read
   */
  public static RelayConfig read(Path file) throws InvalidConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    Path folder = file.toAbsolutePath().getParent();
    return RelayConfigParser.parse(text, folder);
  }
}
