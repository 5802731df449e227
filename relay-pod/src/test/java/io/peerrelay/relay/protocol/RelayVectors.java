package io.peerrelay.relay.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named byte strings of the relay test vectors ({@code shared/testdata/relay-vectors/}).
 *
 * <p>The tests read the repository's copy in {@code src/test/resources/relay-vectors/}, so a clone
 * on its own passes; {@code RelayVectorsCopyTest} keeps that copy identical to the design folder's
 * file whenever the design folder sits beside the clone.
 */
public final class RelayVectors {
  private static final Path RELATIVE =
      Path.of("shared", "testdata", "relay-vectors", "vectors.txt");
  private static Map<String, byte[]> cache;

  private RelayVectors() {}

  /** The bytes named {@code name}; fails clearly when the file or the name is missing. */
  public static synchronized byte[] get(String name) {
    if (cache == null) {
      cache = load(locate());
    }
    byte[] v = cache.get(name);
    if (v == null) {
      throw new IllegalStateException("no vector named " + name + " in " + RELATIVE);
    }
    return v.clone();
  }

  /** All vector names, in file order. */
  public static synchronized List<String> names() {
    get("A_pub");
    return List.copyOf(cache.keySet());
  }

  private static Path locate() {
    java.net.URL url = RelayVectors.class.getResource("/relay-vectors/vectors.txt");
    if (url == null) {
      throw new IllegalStateException(
          "relay test vectors not found on the test classpath (relay-vectors/vectors.txt)");
    }
    try {
      return Path.of(url.toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The design folder's original, when {@code shared/} sits above the working directory. */
  static java.util.Optional<Path> designCopy() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return java.util.Optional.of(candidate);
      }
    }
    return java.util.Optional.empty();
  }

  /** The repository copy the tests read. */
  static Path repositoryCopy() {
    return locate();
  }

  /** The named blocks of a vectors file, in file order. */
  static Map<String, byte[]> load(Path file) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    String name = null;
    int expected = 0;
    StringBuilder hex = new StringBuilder();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("== ")) {
          put(out, name, expected, hex);
          String head = line.substring(3);
          name = head.substring(0, head.indexOf(' '));
          expected =
              Integer.parseInt(head.substring(head.indexOf('(') + 1, head.indexOf(" bytes")));
          hex.setLength(0);
        } else if (name != null) {
          hex.append(line.replace(" ", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    put(out, name, expected, hex);
    return out;
  }

  private static void put(Map<String, byte[]> out, String name, int expected, StringBuilder hex) {
    if (name == null) {
      return;
    }
    byte[] bytes = HexFormat.of().parseHex(hex);
    if (bytes.length != expected) {
      throw new IllegalStateException(
          name + " has " + bytes.length + " bytes, header says " + expected);
    }
    out.put(name, bytes);
  }
}
