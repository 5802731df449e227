package io.peerrelay.relay.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the relay refused a config file, split as the operator reads it: the YAML field ({@code ""}
 * when the file did not parse) and the message after it, so that {@code field + ": " + error} is
 * the relay's own one-line message.
 */
public record ConfigRefusal(String field, String error) {
  /** A field path as the parser names it: {@code limits.maxSessions}, {@code tailnet.tags[1]}. */
  private static final Pattern FIELD =
      Pattern.compile(
          "^([A-Za-z][A-Za-z0-9]*(?:\\[\\d+])?(?:\\.[A-Za-z][A-Za-z0-9]*(?:\\[\\d+])?)*): ");

  /**
   * The refusal for a config that failed to parse or validate (the first problem names the field).
   */
  public static ConfigRefusal of(InvalidConfigException e) {
    return split(e.getMessage());
  }

  /** Splits {@code field: problem; other problems}; a message without a field gets {@code ""}. */
  static ConfigRefusal split(String message) {
    Matcher m = FIELD.matcher(message);
    if (m.find()) {
      return new ConfigRefusal(m.group(1), message.substring(m.end()));
    }
    if (message.startsWith("keyFile ")) {
      return new ConfigRefusal("keyFile", message);
    }
    return new ConfigRefusal("", message);
  }

  /** The one line written to the termination-message file: {@code <field>: <error>}. */
  public String terminationLine() {
    return field + ": " + error;
  }
}
