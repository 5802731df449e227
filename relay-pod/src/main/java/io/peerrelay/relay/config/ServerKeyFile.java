package io.peerrelay.relay.config;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "keyFile " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    return parse(text, file);
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
