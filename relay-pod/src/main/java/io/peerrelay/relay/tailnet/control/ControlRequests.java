package io.peerrelay.relay.tailnet.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peerrelay.relay.config.EndpointAddress;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.net.InetSocketAddress;
import java.util.List;

/** Builds the JSON bodies of RegisterRequest and MapRequest with tailcfg's Go field names. */
public final class ControlRequests {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final String ZERO_NODE_KEY =
      TailnetKey.node(new byte[TailnetKey.LENGTH]).toString();

  /**
   * What this node says about itself (tailcfg.Hostinfo).
   *
   * @param hostname the requested host name (becomes the MagicDNS name)
   * @param requestTags the ACL tags to claim, e.g. tag:peer-relay
   * @param version the relay's version, reported as IPNVersion
   * @param preferredDerp the home DERP region, 0 for none yet
   */
  public record Hostinfo(
      String hostname, List<String> requestTags, String version, int preferredDerp) {
    public Hostinfo {
      requestTags = List.copyOf(requestTags);
    }

    /** The same with another home region. */
    public Hostinfo withPreferredDerp(int region) {
      return new Hostinfo(hostname, requestTags, version, region);
    }

    ObjectNode toJson() {
      ObjectNode h = JSON.createObjectNode();
      h.put("IPNVersion", version);
      h.put("App", "peerrelay");
      h.put("OS", "linux");
      h.put("Hostname", hostname);
      if (!requestTags.isEmpty()) {
        ArrayNode tags = h.putArray("RequestTags");
        requestTags.forEach(tags::add);
      }
      if (preferredDerp > 0) {
        h.putObject("NetInfo").put("PreferredDERP", preferredDerp);
      }
      return h;
    }
  }

  private ControlRequests() {}

  /**
   * A RegisterRequest for {@code nodeKey}; {@code oldNodeKey} (or null) when rotating, {@code
   * authKey} (or null) to authorise a new node.
   */
  public static byte[] register(
      TailnetKey nodeKey, TailnetKey oldNodeKey, String authKey, Hostinfo hostinfo) {
    ObjectNode r = JSON.createObjectNode();
    r.put("Version", ControlProtocol.CAPABILITY_VERSION);
    r.put("NodeKey", nodeKey.toString());
    r.put("OldNodeKey", oldNodeKey == null ? ZERO_NODE_KEY : oldNodeKey.toString());
    if (authKey != null) {
      r.putObject("Auth").put("AuthKey", authKey);
    }
    r.set("Hostinfo", hostinfo.toJson());
    return bytes(r);
  }

  /**
   * A MapRequest, uncompressed. {@code stream} true: the long poll, with keep-alives. False: the
   * "lite" update (OmitPeers, no stream) that stores endpoints, disco key and Hostinfo on control,
   * which a streaming request of version 68 or later does not do.
   */
  public static byte[] map(
      TailnetKey nodeKey,
      DiscoPublicKey discoKey,
      List<InetSocketAddress> endpoints,
      Hostinfo hostinfo,
      boolean stream) {
    ObjectNode r = JSON.createObjectNode();
    r.put("Version", ControlProtocol.CAPABILITY_VERSION);
    r.put("KeepAlive", stream);
    r.put("Stream", stream);
    r.put("OmitPeers", !stream);
    r.put("NodeKey", nodeKey.toString());
    r.put("DiscoKey", discoKey.toString());
    ArrayNode eps = r.putArray("Endpoints");
    ArrayNode types = r.putArray("EndpointTypes");
    for (InetSocketAddress ep : endpoints) {
      eps.add(EndpointAddress.format(ep));
      types.add(ControlProtocol.ENDPOINT_EXPLICIT_CONF);
    }
    r.set("Hostinfo", hostinfo.toJson());
    // No "Compress": the server then sends plain JSON, which needs no zstd decoder here.
    return bytes(r);
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
