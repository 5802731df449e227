package io.peerrelay.relay.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Renders a {@code /sessions} answer (Tailscale's ServerStatus JSON) as the CLI prints it. */
final class SessionListingText {
  private SessionListingText() {}

  /**
   * A header line, then two lines per session sorted by VNI: client 1 to client 2 with what the
   * relay received from client 1, then the other direction.
   */
  static List<String> lines(JsonNode status) {
    List<JsonNode> sessions = new ArrayList<>();
    JsonNode list = status.path("Sessions");
    if (list.isArray()) {
      list.forEach(sessions::add);
    }
    sessions.sort(Comparator.comparingLong(s -> s.path("VNI").asLong()));
    List<String> out = new ArrayList<>();
    String port = status.path("UDPPort").isNumber() ? status.path("UDPPort").asText() : "unset";
    out.add(
        "Relay UDP port "
            + port
            + ": "
            + sessions.size()
            + (sessions.size() == 1 ? " session" : " sessions"));
    for (JsonNode session : sessions) {
      JsonNode one = session.path("Client1");
      JsonNode two = session.path("Client2");
      out.add(direction(one, two));
      out.add(direction(two, one));
    }
    return out;
  }

  private static String direction(JsonNode from, JsonNode to) {
    return leg(from)
        + " --> "
        + leg(to)
        + ", Packets: "
        + from.path("PacketsTx").asLong()
        + " Bytes: "
        + from.path("BytesTx").asLong();
  }

  private static String leg(JsonNode client) {
    String endpoint = client.path("Endpoint").asText("");
    return (endpoint.isEmpty() ? "<no handshake>" : endpoint)
        + "("
        + client.path("ShortDisco").asText("")
        + ")";
  }
}
