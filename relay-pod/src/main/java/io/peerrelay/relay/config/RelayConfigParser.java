package io.peerrelay.relay.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Turns the text of a relay config file into a {@link RelayConfig}, collecting every problem.
 *
 * <p>The file is read as a YAML tree rather than bound to a class so that each error can name the
 * exact field path ({@code advertisedEndpoints[2]}) and say what to write instead; unknown fields
 * are errors because in a hand-edited or templated file they are almost always typos.
 */
public final class RelayConfigParser {
  private static final List<String> TOP_FIELDS =
      List.of(
          "version",
          "udpPort",
          "httpPort",
          "keyFile",
          "advertisedEndpoints",
          "allowedClientKeys",
          "lifetimes",
          "limits",
          "shutdown",
          "tailnet");
  private static final List<String> LIFETIME_FIELDS = List.of("bind", "steadyState", "gcInterval");
  private static final List<String> LIMIT_FIELDS =
      List.of(
          "maxSessions",
          "maxSessionsPerClientKey",
          "handshakesPerSecondPerSource",
          "handshakeBurstPerSource");
  private static final List<String> SHUTDOWN_FIELDS = List.of("drain");

  /** The VNI is 24 bits and VNI 0 is reserved, so no relay can hold more sessions than this. */
  static final int MAX_SESSIONS = (1 << 24) - 1;

  private final List<String> problems = new ArrayList<>();
  private final Path baseDir;

  private RelayConfigParser(Path baseDir) {
    this.baseDir = baseDir;
  }

  /**
   * Parses config text; a relative {@code keyFile} is taken relative to {@code baseDir} (the config
   * file's folder).
   *
   * @throws InvalidConfigException listing every problem found, each naming its field
   */
  public static RelayConfig parse(String yaml, Path baseDir) throws InvalidConfigException {
    return new RelayConfigParser(baseDir).read(yaml);
  }

  private RelayConfig read(String yaml) throws InvalidConfigException {
    JsonNode root = mapping(yaml);
    YamlFields.rejectUnknown(root, "", TOP_FIELDS, problems);
    JsonNode version = root.get("version");
    if (version == null || version.isNull()) {
      problems.add("version: missing (write version: 1)");
    } else if (!version.isIntegralNumber() || version.asLong() != RelayConfig.VERSION) {
      problems.add(
          "version: "
              + YamlFields.shown(version)
              + " is not supported (this relay reads version 1)");
      // Another version's fields mean something else: report only the version.
      throw new InvalidConfigException(problems);
    }
    int udpPort = port(root, "udpPort");
    int httpPort = port(root, "httpPort");
    Path keyFile = keyFile(root.get("keyFile"));
    List<InetSocketAddress> endpoints = endpoints(root.get("advertisedEndpoints"));
    List<DiscoPublicKey> keys = clientKeys(root.get("allowedClientKeys"));
    RelaySettings settings =
        new RelaySettings(
            endpoints,
            new LinkedHashSet<>(keys),
            lifetimes(section(root, "lifetimes", LIFETIME_FIELDS)),
            limits(section(root, "limits", LIMIT_FIELDS)));
    JsonNode shutdown = section(root, "shutdown", SHUTDOWN_FIELDS);
    Duration drain = duration(shutdown, "shutdown.drain", "drain", RelayConfig.DEFAULT_DRAIN, true);
    TailnetConfig tailnet = TailnetConfigParser.parse(root.get("tailnet"), baseDir, problems);
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new RelayConfig(udpPort, httpPort, keyFile, keys, settings, drain, tailnet);
  }

  /** The file's top-level mapping, or the one problem that stops everything else. */
  private static JsonNode mapping(String yaml) throws InvalidConfigException {
    JsonNode root;
    try {
      root = YamlTree.read(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(syntaxProblem(e));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new InvalidConfigException("the file is empty (start with version: 1)");
    }
    if (!root.isObject()) {
      throw new InvalidConfigException(
          "the file is not a YAML mapping of fields (start with version: 1)");
    }
    return root;
  }

  private RelaySettings.Lifetimes lifetimes(JsonNode lifetimes) {
    RelaySettings.Lifetimes defaults = RelaySettings.Lifetimes.DEFAULTS;
    return new RelaySettings.Lifetimes(
        duration(lifetimes, "lifetimes.bind", "bind", defaults.bind(), false),
        duration(lifetimes, "lifetimes.steadyState", "steadyState", defaults.steadyState(), false),
        duration(lifetimes, "lifetimes.gcInterval", "gcInterval", defaults.gcInterval(), false));
  }

  private RelaySettings.Limits limits(JsonNode limits) {
    RelaySettings.Limits defaults = RelaySettings.Limits.DEFAULTS;
    return new RelaySettings.Limits(
        wholeNumber(
            limits, "limits.maxSessions", "maxSessions", defaults.maxSessions(), 1, MAX_SESSIONS),
        wholeNumber(
            limits,
            "limits.maxSessionsPerClientKey",
            "maxSessionsPerClientKey",
            defaults.maxSessionsPerClientKey(),
            1,
            MAX_SESSIONS),
        positiveNumber(
            limits,
            "limits.handshakesPerSecondPerSource",
            "handshakesPerSecondPerSource",
            defaults.handshakesPerSecondPerSource()),
        wholeNumber(
            limits,
            "limits.handshakeBurstPerSource",
            "handshakeBurstPerSource",
            defaults.handshakeBurstPerSource(),
            1,
            Integer.MAX_VALUE));
  }

  private static String syntaxProblem(JsonProcessingException e) {
    String where =
        e.getLocation() == null || e.getLocation().getLineNr() < 1
            ? ""
            : "line " + e.getLocation().getLineNr() + ": ";
    String what = e.getOriginalMessage();
    if (what != null && what.startsWith("Duplicate field")) {
      return where + what.replace("Duplicate field", "field written twice:");
    }
    return where
        + "not valid YAML: "
        + (what == null ? e.getClass().getSimpleName() : what.lines().findFirst().orElse(what));
  }

  private JsonNode section(JsonNode root, String name, List<String> known) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(name + ": want a mapping with " + String.join(", ", known));
      return null;
    }
    YamlFields.rejectUnknown(node, name + ".", known, problems);
    return node;
  }

  private int port(JsonNode root, String field) {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      problems.add(field + ": missing (write e.g. " + field + ": " + exampleFor(field) + ")");
      return 0;
    }
    if (!node.isIntegralNumber()) {
      problems.add(
          field
              + ": "
              + YamlFields.shown(node)
              + " is not a port number (write e.g. "
              + exampleFor(field)
              + ")");
      return 0;
    }
    long value = node.asLong();
    if (value < 1 || value > 65535) {
      problems.add(field + ": " + value + " is outside 1-65535");
      return 0;
    }
    return (int) value;
  }

  private static String exampleFor(String portField) {
    return portField.equals("udpPort") ? "40000" : "9090";
  }

  private Path keyFile(JsonNode node) {
    return YamlFields.filePath(
        node,
        "keyFile",
        "the private key file, e.g. /etc/peerrelay/key/private.key",
        baseDir,
        problems);
  }

  private List<InetSocketAddress> endpoints(JsonNode node) {
    List<InetSocketAddress> out = new ArrayList<>();
    if (!isList(node, "advertisedEndpoints", "ip:port")) {
      return out;
    }
    if (node.size() > RelayConfig.MAX_ENDPOINTS) {
      problems.add(
          "advertisedEndpoints: "
              + node.size()
              + " entries, at most "
              + RelayConfig.MAX_ENDPOINTS
              + " (the allocation answer must stay smaller than the request)");
    }
    Map<InetSocketAddress, Integer> seen = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "advertisedEndpoints[" + i + "]";
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        problems.add(
            field
                + ": "
                + YamlFields.shown(item)
                + " is not ip:port (write e.g. 192.0.2.10:40000)");
        continue;
      }
      try {
        InetSocketAddress endpoint = EndpointAddress.parse(item.asText());
        Integer first = seen.putIfAbsent(endpoint, i);
        if (first != null) {
          problems.add(
              field + ": duplicate of advertisedEndpoints[" + first + "] (" + item.asText() + ")");
        } else {
          out.add(endpoint);
        }
      } catch (IllegalArgumentException e) {
        problems.add(field + ": " + e.getMessage());
      }
    }
    return out;
  }

  private List<DiscoPublicKey> clientKeys(JsonNode node) {
    List<DiscoPublicKey> out = new ArrayList<>();
    if (!isList(node, "allowedClientKeys", "discokey:<64 hex>")) {
      return out;
    }
    Map<DiscoPublicKey, Integer> seen = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "allowedClientKeys[" + i + "]";
      JsonNode item = node.get(i);
      DiscoPublicKey key;
      try {
        if (!item.isTextual()) {
          throw new IllegalArgumentException("not text");
        }
        key = DiscoPublicKey.parse(item.asText());
      } catch (IllegalArgumentException e) {
        problems.add(field + ": not a disco public key (want discokey: + 64 hex)");
        continue;
      }
      Integer first = seen.putIfAbsent(key, i);
      if (first != null) {
        problems.add(field + ": duplicate of allowedClientKeys[" + first + "]");
      } else {
        out.add(key);
      }
    }
    return out;
  }

  private boolean isList(JsonNode node, String field, String itemForm) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isArray()) {
      problems.add(field + ": want a list of " + itemForm + " (write [] for none)");
      return false;
    }
    return true;
  }

  private Duration duration(
      JsonNode section, String field, String name, Duration fallback, boolean zeroAllowed) {
    JsonNode node = section == null ? null : section.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (node.isNumber()) {
      problems.add(
          field + ": \"" + node.asText() + "\" has no unit (write " + node.asText() + "s)");
      return fallback;
    }
    if (!node.isTextual()) {
      problems.add(
          field + ": " + YamlFields.shown(node) + " is not a duration (write e.g. 30s, 5m, 250ms)");
      return fallback;
    }
    try {
      Duration value = GoDuration.parse(node.asText());
      if (value.isNegative() || (value.isZero() && !zeroAllowed)) {
        problems.add(
            field + ": " + node.asText() + " must be more than 0" + (zeroAllowed ? " or 0" : ""));
        return fallback;
      }
      return value;
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
      return fallback;
    }
  }

  private int wholeNumber(
      JsonNode section, String field, String name, int fallback, int min, int max) {
    JsonNode node = section == null ? null : section.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isIntegralNumber()) {
      problems.add(field + ": " + YamlFields.shown(node) + " is not a whole number");
      return fallback;
    }
    long value = node.asLong();
    if (value < min || value > max) {
      problems.add(field + ": " + value + " is outside " + min + "-" + max);
      return fallback;
    }
    return (int) value;
  }

  private double positiveNumber(JsonNode section, String field, String name, double fallback) {
    JsonNode node = section == null ? null : section.get(name);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isNumber() || !(node.asDouble() > 0) || Double.isInfinite(node.asDouble())) {
      problems.add(field + ": " + YamlFields.shown(node) + " is not a number more than 0");
      return fallback;
    }
    return node.asDouble();
  }
}
