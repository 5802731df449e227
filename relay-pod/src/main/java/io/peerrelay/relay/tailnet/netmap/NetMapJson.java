package io.peerrelay.relay.tailnet.netmap;

import com.fasterxml.jackson.databind.JsonNode;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads tailcfg.Node and tailcfg.DERPMap JSON (Go's field names) into the netmap types. */
public final class NetMapJson {
  private static final String LEGACY_DERP_PREFIX = "127.3.3.40:";
  private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

  private NetMapJson() {}

  /**
   * Reads one tailcfg.Node.
   *
   * @throws IllegalArgumentException if its node key, disco key or an address does not parse
   */
  public static NetMapNode node(JsonNode n) {
    TailnetKey key = TailnetKey.parse(TailnetKey.Kind.NODE, n.path("Key").asText(null));
    List<IpPrefix> addresses = new ArrayList<>();
    for (JsonNode a : n.path("Addresses")) {
      addresses.add(IpPrefix.parse(a.asText()));
    }
    JsonNode online = n.get("Online");
    return new NetMapNode(
        n.path("ID").asLong(),
        n.path("StableID").asText(""),
        n.path("Name").asText(""),
        key,
        discoKey(n.get("DiscoKey")),
        addresses,
        n.path("Cap").asInt(0),
        homeDerp(n),
        online == null || online.isNull() ? null : online.asBoolean(),
        time(n.get("KeyExpiry")));
  }

  /** The disco key from {@code discokey:...} text; null when absent or the zero key. */
  public static DiscoPublicKey discoKey(JsonNode text) {
    if (text == null || text.isNull() || text.asText().isEmpty()) {
      return null;
    }
    DiscoPublicKey key = DiscoPublicKey.parse(text.asText());
    return key.equals(DiscoPublicKey.fromRaw(new byte[32])) ? null : key;
  }

  /** Go's time.Time JSON (RFC 3339); null for absent, null or Go's zero time. */
  public static Instant time(JsonNode text) {
    if (text == null || text.isNull() || text.asText().isEmpty()) {
      return null;
    }
    try {
      Instant t = Instant.parse(text.asText());
      return t.equals(GO_ZERO_TIME) ? null : t;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not an RFC 3339 time: " + text.asText(), e);
    }
  }

  private static int homeDerp(JsonNode n) {
    int home = n.path("HomeDERP").asInt(0);
    String legacy = n.path("DERP").asText("");
    if (home == 0 && legacy.startsWith(LEGACY_DERP_PREFIX)) {
      try {
        return Integer.parseInt(legacy.substring(LEGACY_DERP_PREFIX.length()));
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return home;
  }

  /**
   * Reads a tailcfg.DERPMap onto {@code previous}: a missing or null Regions keeps the previous
   * regions (a zero field means unchanged), and null region entries are dropped, as Tailscale's
   * client does.
   */
  public static DerpMap derpMap(JsonNode m, DerpMap previous) {
    JsonNode regions = m.get("Regions");
    if (regions == null || regions.isNull()) {
      return previous;
    }
    Map<Integer, DerpRegion> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : regions.properties()) {
      if (e.getValue().isNull()) {
        continue;
      }
      DerpRegion region = region(e.getValue());
      out.put(region.regionId(), region);
    }
    return new DerpMap(out, m.path("omitDefaultRegions").asBoolean(false));
  }

  private static DerpRegion region(JsonNode r) {
    List<DerpNode> nodes = new ArrayList<>();
    for (JsonNode n : r.path("Nodes")) {
      nodes.add(
          new DerpNode(
              n.path("Name").asText(""),
              n.path("RegionID").asInt(),
              n.path("HostName").asText(""),
              n.path("CertName").asText(""),
              n.path("IPv4").asText(""),
              n.path("IPv6").asText(""),
              n.path("STUNPort").asInt(0),
              n.path("STUNOnly").asBoolean(false),
              n.path("DERPPort").asInt(0),
              n.path("InsecureForTests").asBoolean(false)));
    }
    return new DerpRegion(
        r.path("RegionID").asInt(),
        r.path("RegionCode").asText(""),
        r.path("RegionName").asText(""),
        r.path("Avoid").asBoolean(false),
        r.path("NoMeasureNoHome").asBoolean(false),
        nodes);
  }
}
