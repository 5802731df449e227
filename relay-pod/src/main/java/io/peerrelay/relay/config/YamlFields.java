package io.peerrelay.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/** Field checks shared by the config file's section parsers; each adds problems, never throws. */
final class YamlFields {
  private YamlFields() {}

  static void rejectUnknown(
      JsonNode mapping, String prefix, List<String> known, List<String> problems) {
    Iterator<String> names = mapping.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        String guess = closest(name, known);
        problems.add(
            prefix
                + name
                + ": unknown field"
                + (guess == null
                    ? " (known: " + String.join(", ", known) + ")"
                    : " (did you mean " + guess + "?)"));
      }
    }
  }

  /** A file path field; a relative path is taken relative to {@code baseDir}. */
  static Path filePath(
      JsonNode node, String field, String what, Path baseDir, List<String> problems) {
    if (node == null || node.isNull()) {
      problems.add(field + ": missing (write the path of " + what + ")");
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank()) {
      problems.add(field + ": " + shown(node) + " is not a file path");
      return null;
    }
    try {
      Path path = Path.of(node.asText());
      return path.isAbsolute() || baseDir == null ? path : baseDir.resolve(path).normalize();
    } catch (InvalidPathException e) {
      problems.add(field + ": " + shown(node) + " is not a file path (" + e.getReason() + ")");
      return null;
    }
  }

  /** A value as the user wrote it: quoted when it was text, so {@code "30"} and 30 differ. */
  static String shown(JsonNode node) {
    if (node.getNodeType() == JsonNodeType.STRING) {
      return "\"" + node.asText() + "\"";
    }
    if (node.isContainerNode()) {
      return node.isArray() ? "a list" : "a mapping";
    }
    return node.asText();
  }

  /** The known name within edit distance 2 of a misspelt one, or null. */
  static String closest(String name, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : known) {
      int d = editDistance(name.toLowerCase(), candidate.toLowerCase());
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
