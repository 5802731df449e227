package io.peerrelay.relay.tailnet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The byte vectors in {@code tailnet-vectors/derp.txt}, made by Tailscale's own code ({@code
 * e2e/go/regen-vectors.sh}): one {@code name hex} per line.
 */
public final class TailnetVectors {
  private static Map<String, byte[]> cache;

  private TailnetVectors() {}

  /** The bytes named {@code name}; fails naming the file when it is missing. */
  public static synchronized byte[] get(String name) {
    if (cache == null) {
      cache = load();
    }
    byte[] v = cache.get(name);
    if (v == null) {
      throw new IllegalStateException(
          "no vector " + name + " in tailnet-vectors/derp.txt (run e2e/go/regen-vectors.sh)");
    }
    return v.clone();
  }

  private static Map<String, byte[]> load() {
    try (InputStream in = TailnetVectors.class.getResourceAsStream("/tailnet-vectors/derp.txt")) {
      if (in == null) {
        throw new IllegalStateException("tailnet-vectors/derp.txt is not on the test class path");
      }
      Map<String, byte[]> out = new HashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(" ", 2);
        out.put(parts[0], HexFormat.of().parseHex(parts.length > 1 ? parts[1].strip() : ""));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
