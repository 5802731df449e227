package io.peerrelay.relay.tailnet.noise;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The transcript in tailnet-vectors/noise.txt, written by Tailscale's controlbase (see
 * e2e/go/cmd/noisevectors): lines of {@code name hex}, names may repeat.
 */
final class NoiseVectors {
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  static NoiseVectors load() {
    try (InputStream in = NoiseVectors.class.getResourceAsStream("/tailnet-vectors/noise.txt")) {
      if (in == null) {
        throw new IllegalStateException(
            "tailnet-vectors/noise.txt is missing; run e2e/go/regen-vectors.sh");
      }
      NoiseVectors v = new NoiseVectors();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(" ", 2);
        v.values.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1].strip());
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String text(String name) {
    return all(name).get(0);
  }

  byte[] bytes(String name) {
    return HexFormat.of().parseHex(text(name));
  }

  List<byte[]> allBytes(String name) {
    return all(name).stream().map(HexFormat.of()::parseHex).toList();
  }

  private List<String> all(String name) {
    List<String> found = values.get(name);
    if (found == null) {
      throw new IllegalStateException("noise.txt has no " + name);
    }
    return found;
  }
}
