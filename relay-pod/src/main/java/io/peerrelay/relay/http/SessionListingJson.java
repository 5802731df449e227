package io.peerrelay.relay.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerrelay.relay.core.SessionInfo;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The session listing as Tailscale's {@code status.ServerStatus} JSON, field for field, so tools
 * written for {@code tailscale debug peer-relay-sessions} read ours unchanged.
 */
public final class SessionListingJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionListingJson() {}

  /**
   * Renders {@code {"UDPPort": port, "Sessions": [...]}}; {@code Sessions} is null when there are
   * none, as Go encodes a nil slice.
   */
  public static String render(int udpPort, List<SessionInfo> sessions) {
    return render(udpPort, sessions, null);
  }

  /**
   * The same, plus {@code "next": <vni>} when more sessions follow this page (pass it as {@code
   * after} to read them); without more pages the answer is exactly Tailscale's shape.
   */
  public static String render(int udpPort, List<SessionInfo> sessions, Integer next) {
    ObjectNode status = JSON.createObjectNode();
    status.put("UDPPort", udpPort);
    if (sessions.isEmpty()) {
      status.putNull("Sessions");
    } else {
      ArrayNode list = status.putArray("Sessions");
      for (SessionInfo session : sessions) {
        ObjectNode item = list.addObject();
        item.put("VNI", session.vni());
        client(item.putObject("Client1"), session.client1());
        client(item.putObject("Client2"), session.client2());
      }
    }
    if (next != null) {
      status.put("next", next);
    }
    try {
      return JSON.writeValueAsString(status);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void client(ObjectNode out, SessionInfo.ClientInfo client) {
    out.put("Endpoint", client.endpoint());
    out.put("ShortDisco", client.shortDisco());
    out.put("PacketsTx", client.packetsTx());
    out.put("BytesTx", client.bytesTx());
  }
}
