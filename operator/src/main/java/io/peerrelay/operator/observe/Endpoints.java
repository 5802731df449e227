package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.Exposure;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.NodeAddressType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.api.StaticEndpoint;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes every replica's advertised endpoints from what was observed (architecture section 5).
 * Pure apart from the injected {@link Resolver}.
 */
public final class Endpoints {

  private final Resolver resolver;

  /** Endpoints computed with the given DNS resolver ({@link Resolver#system()} in production). */
  public Endpoints(Resolver resolver) {
    this.resolver = resolver;
  }

  /** What was observed for one replica. */
  public record ReplicaInputs(
      List<LoadBalancerIngress> ingress,
      List<NodeAddress> nodeAddresses,
      List<Endpoint> lastKnown) {

    /** Nothing observed. */
    public static ReplicaInputs none() {
      return new ReplicaInputs(List.of(), List.of(), List.of());
    }
  }

  /**
   * What {@link #compute(PeerRelay, Observed)} found.
   *
   * @param byReplica for every replica index below {@code spec.replicas}, its sorted endpoints
   * @param staleHostnames per replica, the load-balancer hostnames that did not resolve while its
   *     last known endpoints were kept in their place (absent when every lookup answered)
   */
  public record Computed(
      Map<Integer, List<Endpoint>> byReplica, Map<Integer, List<String>> staleHostnames) {}

  /**
   * Endpoints per replica from what the caches hold for {@code relay} (Services, and the Nodes its
   * pods run on) and the endpoints its status lists now, with the hostnames they are stale for.
   */
  public Computed compute(PeerRelay relay, Observed o) {
    Map<Integer, Node> nodeOfReplica = new HashMap<>();
    o.pods()
        .forEach(
            (i, pod) -> {
              String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
              if (node != null && o.nodes().containsKey(node)) {
                nodeOfReplica.put(i, o.nodes().get(node));
              }
            });
    return computeAll(
        relay.getSpec(), inputs(relay, o.services(), nodeOfReplica, lastKnown(relay.getStatus())));
  }

  /**
   * The endpoints {@code status} lists, per replica; entries that do not parse are dropped (the
   * operator never writes one, and one not worth keeping).
   */
  static Map<Integer, List<Endpoint>> lastKnown(PeerRelayStatus status) {
    Map<Integer, List<Endpoint>> known = new HashMap<>();
    if (status == null || status.getEndpoints() == null) {
      return known;
    }
    for (RelayEndpoint e : status.getEndpoints()) {
      if (e.getReplica() == null || e.getAddress() == null) {
        continue;
      }
      try {
        Endpoint parsed = Endpoint.parse(e.getAddress());
        known.computeIfAbsent(e.getReplica(), k -> new ArrayList<>()).add(parsed);
      } catch (IllegalArgumentException ignored) {
        // Written by someone else: not an address this operator advertised.
      }
    }
    return known;
  }

  /**
   * Endpoints per replica from the observed Services and Nodes.
   *
   * @param services per replica, its Service (absent in NodeAddress/None modes or before creation)
   * @param nodes per replica, the Node its pod runs on (needed in NodeAddress mode)
   * @param lastKnown per replica, the endpoints currently in status
   * @return for every replica index below {@code spec.replicas}, its sorted endpoints
   */
  public Map<Integer, List<Endpoint>> compute(
      PeerRelay relay,
      Map<Integer, Service> services,
      Map<Integer, Node> nodes,
      Map<Integer, List<Endpoint>> lastKnown) {
    return computeFrom(relay.getSpec(), inputs(relay, services, nodes, lastKnown));
  }

  private static Map<Integer, ReplicaInputs> inputs(
      PeerRelay relay,
      Map<Integer, Service> services,
      Map<Integer, Node> nodes,
      Map<Integer, List<Endpoint>> lastKnown) {
    Map<Integer, ReplicaInputs> inputs = new TreeMap<>();
    for (int i = 0; i < relay.getSpec().getReplicas(); i++) {
      Service svc = services.get(i);
      Node node = nodes.get(i);
      inputs.put(
          i,
          new ReplicaInputs(
              svc == null || svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
                  ? List.of()
                  : orEmpty(svc.getStatus().getLoadBalancer().getIngress()),
              node == null || node.getStatus() == null
                  ? List.of()
                  : orEmpty(node.getStatus().getAddresses()),
              orEmpty(lastKnown.get(i))));
    }
    return inputs;
  }

  /**
   * Endpoints per replica from plain inputs.
   *
   * @return for every replica index below {@code spec.replicas}, its sorted endpoints
   */
  public Map<Integer, List<Endpoint>> computeFrom(
      PeerRelaySpec spec, Map<Integer, ReplicaInputs> inputs) {
    return computeAll(spec, inputs).byReplica();
  }

  /** Endpoints per replica from plain inputs, with the hostnames they are stale for. */
  public Computed computeAll(PeerRelaySpec spec, Map<Integer, ReplicaInputs> inputs) {
    Map<Integer, List<Endpoint>> out = new TreeMap<>();
    Map<Integer, List<String>> stale = new TreeMap<>();
    for (int i = 0; i < spec.getReplicas(); i++) {
      ReplicaInputs in = inputs.getOrDefault(i, ReplicaInputs.none());
      SortedSet<Endpoint> endpoints = new TreeSet<>();
      Set<Endpoint> statics = staticEndpoints(spec, i);
      List<String> staleHosts = new ArrayList<>();
      endpoints.addAll(discovered(spec, i, in, statics, staleHosts));
      endpoints.addAll(statics);
      out.put(i, endpoints.stream().filter(Endpoint::isAdvertisable).toList());
      if (!staleHosts.isEmpty()) {
        stale.put(i, List.copyOf(staleHosts));
      }
    }
    return new Computed(out, stale);
  }

  /**
   * What the exposure found for one replica. Hostnames that did not resolve while the last known
   * addresses were kept in their place go to {@code staleHosts}: status says so instead of
   * presenting old addresses as a fresh answer.
   */
  private Set<Endpoint> discovered(
      PeerRelaySpec spec,
      int replica,
      ReplicaInputs in,
      Set<Endpoint> statics,
      List<String> staleHosts) {
    Exposure exposure = spec.exposureOrDefault();
    ExposureType type = spec.exposureType();
    int port = spec.getUdpPort();
    Set<Endpoint> found = new TreeSet<>();
    switch (type) {
      case NodeAddress:
        return nodeAddresses(spec.nodeAddressType(), in, port);
      case None:
        return found;
      default:
        break;
    }
    List<String> unresolved = new ArrayList<>();
    Set<Endpoint> dnsAnswer = new TreeSet<>();
    for (LoadBalancerIngress ingress : in.ingress()) {
      if (ingress.getIp() != null && !ingress.getIp().isEmpty()) {
        literal(ingress.getIp()).ifPresent(addr -> found.add(new Endpoint(addr, port)));
      } else if (ingress.getHostname() != null && !ingress.getHostname().isEmpty()) {
        try {
          for (InetAddress addr : resolver.resolve(ingress.getHostname())) {
            dnsAnswer.add(new Endpoint(addr, port));
          }
        } catch (UnknownHostException e) {
          // NXDOMAIN is normal for minutes while an NLB provisions.
          unresolved.add(ingress.getHostname());
        }
      }
    }
    found.addAll(dnsAnswer);
    if (type == ExposureType.AWSNLB) {
      pinnedAddress(exposure, replica).ifPresent(addr -> found.add(new Endpoint(addr, port)));
    }
    Set<Endpoint> history = loadBalancerHistory(in.lastKnown(), port, statics);
    boolean keepHistory = keepsHistory(type, in, unresolved, dnsAnswer, history);
    if (keepHistory && !unresolved.isEmpty() && !history.isEmpty()) {
      staleHosts.addAll(unresolved);
    }
    if (keepHistory) {
      found.addAll(history);
    }
    return found;
  }

  /** Whether a load-balanced replica keeps its last known addresses beside this answer. */
  private static boolean keepsHistory(
      ExposureType type,
      ReplicaInputs in,
      List<String> unresolved,
      Set<Endpoint> dnsAnswer,
      Set<Endpoint> history) {
    if (in.ingress().isEmpty()) {
      // No ingress: the load balancer is gone (or not there yet); its old addresses are dead.
      return false;
    }
    if (!unresolved.isEmpty()) {
      return true;
    }
    // An NLB's DNS answer leaves out zones without a healthy target, so a short answer does not
    // mean an address went away: merge with history. An answer sharing no address with history
    // comes from a new load balancer (the zone IPs of one NLB are fixed): start over.
    return type == ExposureType.AWSNLB
        && !dnsAnswer.isEmpty()
        && dnsAnswer.stream().anyMatch(history::contains);
  }

  private static Set<Endpoint> nodeAddresses(NodeAddressType wanted, ReplicaInputs in, int port) {
    Set<Endpoint> found = new TreeSet<>();
    for (NodeAddress a : in.nodeAddresses()) {
      // Only the asked-for type: falling back to InternalIP would advertise a private address.
      if (wanted.name().equals(a.getType())) {
        literal(a.getAddress()).ifPresent(addr -> found.add(new Endpoint(addr, port)));
      }
    }
    return found;
  }

  /** Last known load-balancer addresses: status entries on udpPort that are not static ones. */
  private static Set<Endpoint> loadBalancerHistory(
      List<Endpoint> lastKnown, int port, Set<Endpoint> statics) {
    Set<Endpoint> history = new TreeSet<>();
    for (Endpoint e : lastKnown) {
      if (e.port() == port && !statics.contains(e)) {
        history.add(e);
      }
    }
    return history;
  }

  private static Optional<InetAddress> pinnedAddress(Exposure exposure, int replica) {
    List<ElasticIP> eips = exposure.getElasticIPs();
    if (eips == null || replica >= eips.size() || eips.get(replica) == null) {
      return Optional.empty();
    }
    return literal(eips.get(replica).getPublicIP());
  }

  private static Set<Endpoint> staticEndpoints(PeerRelaySpec spec, int replica) {
    Set<Endpoint> out = new TreeSet<>();
    for (StaticEndpoint s : orEmpty(spec.getStaticEndpoints())) {
      if (s.getReplica() == null || s.getReplica() == replica) {
        try {
          out.add(Endpoint.parse(s.getAddress()));
        } catch (IllegalArgumentException ignored) {
          // The CRD pattern already rejects these; an unreadable one is skipped, not fatal.
        }
      }
    }
    return out;
  }

  /** An IP literal as an address; empty for anything else (never a DNS lookup). */
  static Optional<InetAddress> literal(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    try {
      String bracketed = text.contains(":") ? "[" + text + "]:1" : text + ":1";
      return Optional.of(Endpoint.parse(bracketed).address());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
