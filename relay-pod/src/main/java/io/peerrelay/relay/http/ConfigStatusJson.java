package io.peerrelay.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerrelay.relay.config.ConfigStatus;
import java.io.UncheckedIOException;

/**
 * The body of {@code GET /config}: which relay.yaml is in force, which was refused last, and the
 * key the relay serves. The shape is the relay-operator contract's; the operator compares the
 * hashes with the bytes it wrote.
 */
final class ConfigStatusJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigStatusJson() {}

  static String render(ConfigStatus status, String serverDiscoKey) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode applied = root.putObject("applied");
    applied.put("sha256", status.applied().sha256());
    applied.put("appliedAt", status.applied().appliedAt().toString());
    ConfigStatus.Rejected rejected = status.rejected();
    if (rejected == null) {
      root.putNull("rejected");
    } else {
      ObjectNode r = root.putObject("rejected");
      r.put("sha256", rejected.sha256());
      r.put("field", rejected.field());
      r.put("error", rejected.error());
      r.put("seenAt", rejected.seenAt().toString());
    }
    root.put("serverDiscoKey", serverDiscoKey);
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
