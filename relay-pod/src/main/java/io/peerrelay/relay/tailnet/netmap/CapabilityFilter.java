package io.peerrelay.relay.tailnet.netmap;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The capability grants of the tailnet's packet filter (tailcfg.FilterRule.CapGrant), answering
 * "does source IP s hold capability c towards destination IP d", as Tailscale's filter does for
 * peer capabilities (wgengine/filter CapsWithValues).
 *
 * <p>A rule grants when one of its SrcIPs contains the source and one of its CapGrant entries has a
 * Dsts prefix containing the destination and names the capability in Caps or as a CapMap key.
 * SrcIPs may be {@code *} (every IPv4 and IPv6 address), an IP, a CIDR prefix without host bits, or
 * a range {@code a-b}; {@code cap:...} sources name node capabilities, not addresses, and never
 * match an IP. An entry that does not parse is skipped (counted in {@link #skipped()}), the rest of
 * its rule still applies, as Go's parser continues past a bad entry. Port rules (DstPorts) are
 * ignored: the relay forwards no tailnet traffic of its own.
 */
public final class CapabilityFilter {
  /** Tailscale's peer capability that lets a peer allocate relay endpoints on this node. */
  public static final String RELAY_CAPABILITY = "tailscale.com/cap/relay";

  /** A filter that grants nothing. */
  public static final CapabilityFilter NONE = new CapabilityFilter(List.of(), 0);

  private record Range(byte[] low, byte[] high) {
    boolean contains(byte[] ip) {
      return ip.length == low.length
          && Arrays.compareUnsigned(low, ip) <= 0
          && Arrays.compareUnsigned(ip, high) <= 0;
    }
  }

  private record CapMatch(IpPrefix dst, String capability) {}

  private record Rule(List<Range> sources, List<CapMatch> grants) {}

  private final List<Rule> rules;
  private final int skipped;

  private CapabilityFilter(List<Rule> rules, int skipped) {
    this.rules = List.copyOf(rules);
    this.skipped = skipped;
  }

  /** Builds the filter from FilterRule JSON objects, in order. */
  public static CapabilityFilter fromRules(List<JsonNode> filterRules) {
    List<Rule> out = new ArrayList<>();
    int[] skipped = {0};
    for (JsonNode rule : filterRules) {
      List<CapMatch> grants = grants(rule.path("CapGrant"), skipped);
      if (grants.isEmpty()) {
        continue;
      }
      List<Range> sources = new ArrayList<>();
      for (JsonNode src : rule.path("SrcIPs")) {
        try {
          sources.addAll(sources(src.asText()));
        } catch (IllegalArgumentException e) {
          skipped[0]++;
        }
      }
      out.add(new Rule(sources, grants));
    }
    return new CapabilityFilter(out, skipped[0]);
  }

  private static List<CapMatch> grants(JsonNode capGrants, int[] skipped) {
    List<CapMatch> grants = new ArrayList<>();
    for (JsonNode grant : capGrants) {
      List<String> caps = new ArrayList<>();
      grant.path("Caps").forEach(c -> caps.add(c.asText()));
      grant.path("CapMap").fieldNames().forEachRemaining(caps::add);
      for (JsonNode dst : grant.path("Dsts")) {
        try {
          IpPrefix prefix = IpPrefix.parse(dst.asText());
          caps.stream().filter(c -> !c.isEmpty()).forEach(c -> grants.add(new CapMatch(prefix, c)));
        } catch (IllegalArgumentException e) {
          skipped[0]++;
        }
      }
    }
    return grants;
  }

  private static List<Range> sources(String text) {
    if (text.equals("*")) {
      return List.of(range(IpPrefix.of(new byte[4], 0)), range(IpPrefix.of(new byte[16], 0)));
    }
    if (text.startsWith("cap:")) {
      return List.of();
    }
    if (text.contains("/")) {
      return List.of(range(IpPrefix.parse(text)));
    }
    int dash = text.indexOf('-');
    if (dash >= 0 && dash == text.lastIndexOf('-')) {
      byte[] low = IpPrefix.parseAddress(text.substring(0, dash));
      byte[] high = IpPrefix.parseAddress(text.substring(dash + 1));
      if (low.length != high.length || Arrays.compareUnsigned(low, high) > 0) {
        throw new IllegalArgumentException("invalid IP range \"" + text + "\"");
      }
      return List.of(new Range(low, high));
    }
    byte[] ip = IpPrefix.parseAddress(text);
    return List.of(new Range(ip, ip));
  }

  private static Range range(IpPrefix prefix) {
    byte[] low = prefix.rawAddress();
    byte[] high = low.clone();
    for (int i = 0; i < high.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix.bits() - 8 * i));
      high[i] |= (byte) (0xff >>> keep);
    }
    return new Range(low, high);
  }

  /** True when {@code src} holds {@code capability} towards {@code dst}. */
  public boolean hasCapability(InetAddress src, InetAddress dst, String capability) {
    return hasCapability(src.getAddress(), dst.getAddress(), capability);
  }

  /** True when raw {@code src} holds {@code capability} towards raw {@code dst}. */
  public boolean hasCapability(byte[] src, byte[] dst, String capability) {
    for (Rule rule : rules) {
      if (rule.sources().stream().noneMatch(r -> r.contains(src))) {
        continue;
      }
      for (CapMatch grant : rule.grants()) {
        if (grant.capability().equals(capability) && grant.dst().contains(dst)) {
          return true;
        }
      }
    }
    return false;
  }

  /** How many rules carry capability grants. */
  public int ruleCount() {
    return rules.size();
  }

  /** How many SrcIPs or Dsts entries did not parse and were left out. */
  public int skipped() {
    return skipped;
  }
}
