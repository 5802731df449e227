package io.peerrelay.relay.tailnet.netmap;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one streaming map poll: applies each MapResponse (full or delta) and hands out
 * immutable {@link NetMap} snapshots. Follows tailcfg's delta rules: a field that is absent or null
 * means unchanged; Peers replaces every peer; PeersChanged adds or replaces; PeersRemoved,
 * PeersChangedPatch, OnlineChange and PeerSeenChange change peers by node ID; PacketFilter is the
 * filter chunk "base" and PacketFilters sets or deletes named chunks ("*": null clears all), the
 * filter being every chunk in name order. A new poll starts a new session. Not thread-safe.
 */
public final class MapSession {
  private NetMapNode self;
  private final Map<Long, NetMapNode> peers = new TreeMap<>();
  private DerpMap derpMap = DerpMap.EMPTY;
  private final Map<String, List<JsonNode>> filterChunks = new TreeMap<>();
  private CapabilityFilter filter = CapabilityFilter.NONE;
  private final List<String> problems = new ArrayList<>();

  /**
   * Applies one MapResponse.
   *
   * @return the new snapshot, or null for a keep-alive
   * @throws IllegalArgumentException if the first response has no self node, or the self node does
   *     not parse
   */
  public NetMap apply(JsonNode response) {
    problems.clear();
    if (response.path("KeepAlive").asBoolean(false)) {
      return null;
    }
    JsonNode node = response.get("Node");
    if (node != null && !node.isNull()) {
      self = NetMapJson.node(node);
    } else if (self == null) {
      throw new IllegalArgumentException("the first MapResponse has no Node (this node)");
    }
    JsonNode derp = response.get("DERPMap");
    if (derp != null && derp.isObject()) {
      derpMap = NetMapJson.derpMap(derp, derpMap);
    }
    applyPeers(response);
    applyFilter(response);
    return NetMap.of(self, peers.values(), derpMap, filter);
  }

  /** What the last {@link #apply} had to leave out (a peer that did not parse, ...). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  private void applyPeers(JsonNode r) {
    JsonNode full = r.get("Peers");
    if (full != null && full.isArray()) {
      peers.clear();
      full.forEach(this::putPeer);
    }
    r.path("PeersChanged").forEach(this::putPeer);
    r.path("PeersRemoved").forEach(id -> peers.remove(id.asLong()));
    r.path("PeersChangedPatch").forEach(this::patch);
    for (Map.Entry<String, JsonNode> e : r.path("OnlineChange").properties()) {
      NetMapNode p = peers.get(parseId(e.getKey()));
      if (p != null) {
        peers.put(
            p.id(),
            p.with(
                p.nodeKey(),
                p.discoKey(),
                p.capabilityVersion(),
                p.homeDerp(),
                e.getValue().asBoolean(),
                p.keyExpiry()));
      }
    }
    // PeerSeenChange only moves LastSeen, which the relay does not keep.
  }

  private void putPeer(JsonNode n) {
    try {
      NetMapNode peer = NetMapJson.node(n);
      peers.put(peer.id(), peer);
    } catch (IllegalArgumentException e) {
      problems.add("peer " + n.path("ID").asText("?") + " left out: " + e.getMessage());
    }
  }

  private void patch(JsonNode c) {
    NetMapNode p = peers.get(c.path("NodeID").asLong());
    if (p == null) {
      return;
    }
    try {
      TailnetKey key =
          c.hasNonNull("Key")
              ? TailnetKey.parse(TailnetKey.Kind.NODE, c.get("Key").asText())
              : p.nodeKey();
      DiscoPublicKey disco =
          c.hasNonNull("DiscoKey") ? NetMapJson.discoKey(c.get("DiscoKey")) : p.discoKey();
      int cap = c.path("Cap").asInt(0) != 0 ? c.get("Cap").asInt() : p.capabilityVersion();
      int derp = c.path("DERPRegion").asInt(0) != 0 ? c.get("DERPRegion").asInt() : p.homeDerp();
      Boolean online = c.hasNonNull("Online") ? c.get("Online").asBoolean() : p.online();
      Instant expiry =
          c.hasNonNull("KeyExpiry") ? NetMapJson.time(c.get("KeyExpiry")) : p.keyExpiry();
      peers.put(p.id(), p.with(key, disco, cap, derp, online, expiry));
    } catch (IllegalArgumentException e) {
      problems.add("patch for peer " + p.id() + " left out: " + e.getMessage());
    }
  }

  private void applyFilter(JsonNode r) {
    boolean changed = false;
    JsonNode base = r.get("PacketFilter");
    if (base != null && base.isArray()) {
      filterChunks.put("base", list(base));
      changed = true;
    }
    JsonNode named = r.get("PacketFilters");
    if (named != null && named.isObject()) {
      changed = true;
      if (named.has("*") && named.get("*").isNull()) {
        filterChunks.clear();
      }
      for (Map.Entry<String, JsonNode> e : named.properties()) {
        if (e.getKey().equals("*")) {
          continue;
        }
        if (e.getValue().isArray()) {
          filterChunks.put(e.getKey(), list(e.getValue()));
        } else {
          filterChunks.remove(e.getKey());
        }
      }
    }
    if (changed) {
      List<JsonNode> all = new ArrayList<>();
      filterChunks.values().forEach(all::addAll);
      filter = CapabilityFilter.fromRules(all);
      if (filter.skipped() > 0) {
        problems.add(filter.skipped() + " packet filter entries did not parse and were left out");
      }
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static long parseId(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }
}
