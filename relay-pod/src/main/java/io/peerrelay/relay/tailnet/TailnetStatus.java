package io.peerrelay.relay.tailnet;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.netmap.IpPrefix;
import java.net.InetAddress;
import java.util.List;

/**
 * A point-in-time view of the tailnet node for health and the side port.
 *
 * @param state where the node stands with control
 * @param message a one-line explanation ("" when there is nothing to say)
 * @param nodeName the MagicDNS name control gave the node, "" before the first netmap
 * @param nodeKey the current node public key
 * @param tailscaleIps the node's Tailscale addresses
 * @param online true while a map poll is streaming netmaps to the node
 * @param derpConnected set by the DERP part: connected to the home DERP server
 * @param homeDerp the home DERP region the node reports, 0 before one is chosen
 */
public record TailnetStatus(
    TailnetState state,
    String message,
    String nodeName,
    TailnetKey nodeKey,
    List<InetAddress> tailscaleIps,
    boolean online,
    boolean derpConnected,
    int homeDerp) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public TailnetStatus {
    tailscaleIps = List.copyOf(tailscaleIps);
  }

  /** The same status with what a new netmap says about this node. */
  public TailnetStatus withSelf(String name, TailnetKey key, List<InetAddress> ips) {
    return new TailnetStatus(state, message, name, key, ips, true, derpConnected, homeDerp);
  }

  /** The same status with the poll's liveness and the home region. */
  public TailnetStatus withOnline(TailnetKey key, boolean up, int derp) {
    return new TailnetStatus(state, message, nodeName, key, tailscaleIps, up, derpConnected, derp);
  }

  /** The same status with the DERP part's connection flag. */
  public TailnetStatus withDerpConnected(boolean connected) {
    return new TailnetStatus(
        state, message, nodeName, nodeKey, tailscaleIps, online, connected, homeDerp);
  }

  /** The same status with other state and message. */
  public TailnetStatus withState(TailnetState s, String m) {
    return new TailnetStatus(
        s, m, nodeName, nodeKey, tailscaleIps, online, derpConnected, homeDerp);
  }

  /**
   * The body of {@code GET /tailnet}: exactly enabled, state, message, nodeName, nodeKey,
   * tailscaleIPs, online, derpConnected and homeDerp.
   */
  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("enabled", true);
    o.put("state", state.jsonName());
    o.put("message", message);
    o.put("nodeName", nodeName);
    o.put("nodeKey", nodeKey.toString());
    ArrayNode ips = o.putArray("tailscaleIPs");
    tailscaleIps.forEach(
        ip -> ips.add(IpPrefix.of(ip.getAddress(), ip.getAddress().length * 8).addressText()));
    o.put("online", online);
    o.put("derpConnected", derpConnected);
    o.put("homeDerp", homeDerp);
    return o.toString();
  }

  /** The /tailnet body of a relay that is not in tailnet mode. */
  public static String disabledJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("enabled", false);
    o.put("state", "");
    o.put("message", "tailnet mode is off: the relay config has no tailnet block");
    o.put("nodeName", "");
    o.put("nodeKey", "");
    o.putArray("tailscaleIPs");
    o.put("online", false);
    o.put("derpConnected", false);
    o.put("homeDerp", 0);
    return o.toString();
  }
}
