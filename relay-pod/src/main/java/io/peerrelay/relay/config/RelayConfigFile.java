package io.peerrelay.relay.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reads a relay config file from disk; the parsing itself is {@link RelayConfigParser}'s. */
public final class RelayConfigFile {
  private RelayConfigFile() {}

  /**
   * Reads and parses {@code file}; a relative {@code keyFile} inside it is relative to its folder.
   *
   * @throws InvalidConfigException naming each bad field, or saying why the file cannot be read
   */
  public static RelayConfig read(Path file) throws InvalidConfigException {
    byte[] bytes;
    try {
      bytes = FileSource.DISK.read(file);
    } catch (IOException e) {
      throw unreadable(e);
    }
    return parse(bytes, file);
  }

  /** Lower-case hex SHA-256 of a file's bytes (what the operator compares with what it wrote). */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Parses the bytes of {@code file} (already read): strict UTF-8, then YAML.
   *
   * @throws InvalidConfigException naming each bad field
   */
  static RelayConfig parse(byte[] bytes, Path file) throws InvalidConfigException {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw unreadable(e);
    }
    return RelayConfigParser.parse(text, file.toAbsolutePath().getParent());
  }

  static InvalidConfigException unreadable(IOException e) {
    return new InvalidConfigException(
        "cannot read the file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
  }
}
