package io.peerrelay.relay.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.tailnet.control.ControlUrl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the {@code tailnet} block of a relay config file, adding problems as the parser does. */
final class TailnetConfigParser {
  private static final List<String> FIELDS =
      List.of("controlUrl", "authKeyFile", "stateDir", "hostname", "tags");
  private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern TAG = Pattern.compile("tag:[A-Za-z][A-Za-z0-9-]*");

  private TailnetConfigParser() {}

  /** The block, or null when the file has none; problems go to {@code problems}. */
  static TailnetConfig parse(JsonNode node, Path baseDir, List<String> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add("tailnet: want a mapping with " + String.join(", ", FIELDS));
      return null;
    }
    YamlFields.rejectUnknown(node, "tailnet.", FIELDS, problems);
    String controlUrl = controlUrl(node.get("controlUrl"), problems);
    Path authKeyFile =
        YamlFields.filePath(
            node.get("authKeyFile"),
            "tailnet.authKeyFile",
            "the auth key file, e.g. /etc/peerrelay/tailnet-auth/authkey",
            baseDir,
            problems);
    Path stateDir =
        YamlFields.filePath(
            node.get("stateDir"),
            "tailnet.stateDir",
            "the node state folder, e.g. /etc/peerrelay/tailnet-state",
            baseDir,
            problems);
    String hostname = hostname(node.get("hostname"), problems);
    List<String> tags = tags(node.get("tags"), problems);
    return new TailnetConfig(controlUrl, authKeyFile, stateDir, hostname, tags);
  }

  private static String controlUrl(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      problems.add(
          "tailnet.controlUrl: missing (write e.g. controlUrl: https://controlplane.tailscale.com)");
      return null;
    }
    if (!node.isTextual()) {
      problems.add(
          "tailnet.controlUrl: "
              + YamlFields.shown(node)
              + " is not a URL (write e.g. https://controlplane.tailscale.com)");
      return null;
    }
    try {
      ControlUrl.parse(node.asText());
      return node.asText().strip();
    } catch (IllegalArgumentException e) {
      problems.add("tailnet.controlUrl: " + e.getMessage());
      return null;
    }
  }

  private static String hostname(JsonNode node, List<String> problems) {
    if (node == null || node.isNull()) {
      problems.add("tailnet.hostname: missing (write e.g. hostname: office-0)");
      return null;
    }
    if (!node.isTextual() || !HOSTNAME.matcher(node.asText()).matches()) {
      problems.add(
          "tailnet.hostname: "
              + YamlFields.shown(node)
              + " is not a DNS label (write 1-63 of a-z, 0-9 and '-', not starting or ending with"
              + " '-', e.g. office-0)");
      return null;
    }
    return node.asText();
  }

  private static List<String> tags(JsonNode node, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add("tailnet.tags: want a list of tag:<name> (write [] for none)");
      return out;
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "tailnet.tags[" + i + "]";
      JsonNode item = node.get(i);
      if (!item.isTextual() || !TAG.matcher(item.asText()).matches()) {
        problems.add(
            field
                + ": "
                + YamlFields.shown(item)
                + " is not a tag (write tag: then a name that starts with a letter, e.g."
                + " tag:peer-relay)");
        continue;
      }
      Integer first = seen.putIfAbsent(item.asText(), i);
      if (first != null) {
        problems.add(field + ": duplicate of tailnet.tags[" + first + "]");
      } else {
        out.add(item.asText());
      }
    }
    return out;
  }
}
