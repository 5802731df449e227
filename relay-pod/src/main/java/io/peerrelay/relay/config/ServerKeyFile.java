package io.peerrelay.relay.config;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads the relay's private disco key: one line {@code discoprivkey:<64 hex>} from a Secret. */
public final class ServerKeyFile {
  private ServerKeyFile() {}

  /**
   * Reads and parses the key file.
   *
   * @throws InvalidConfigException naming the file and what is wrong with it, never the key itself
   */
  public static DiscoPrivateKey read(Path file) throws InvalidConfigException {
    return parse(readBytes(file, FileSource.DISK), file);
  }

  /**
   * The key file's bytes, read once.
   *
   * @throws InvalidConfigException naming the file when it cannot be read
   */
  static byte[] readBytes(Path file, FileSource source) throws InvalidConfigException {
    try {
      return source.read(file);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "keyFile " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Parses key file bytes (as read once); {@code file} only names the source in messages. */
  static DiscoPrivateKey parse(byte[] bytes, Path file) throws InvalidConfigException {
    return parse(new String(bytes, StandardCharsets.UTF_8), file);
  }

  /** Parses key file text; {@code file} only names the source in messages. */
  public static DiscoPrivateKey parse(String text, Path file) throws InvalidConfigException {
    try {
      return DiscoPrivateKey.parse(text);
    } catch (IllegalArgumentException e) {
      // Never echo the text: a near-miss key is still a secret.
      throw new InvalidConfigException(
          "keyFile "
              + file
              + ": not a disco private key (want one line discoprivkey: + 64 hex; make one with"
              + " peer-relay keygen)");
    }
  }
}
