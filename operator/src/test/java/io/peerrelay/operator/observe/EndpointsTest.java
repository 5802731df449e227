package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.NodeAddressType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.api.RelayEndpoint;
import io.peerrelay.operator.api.StaticEndpoint;
import io.peerrelay.operator.observe.Endpoints.ReplicaInputs;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointsTest {

  /** Map-backed DNS: a name not in the map is NXDOMAIN. */
  private static final Map<String, List<String>> DNS =
      Map.of(
          "nlb-1.elb.us-east-1.amazonaws.com", List.of("198.51.100.7", "192.0.2.10"),
          "nlb-one-zone.elb.us-east-1.amazonaws.com", List.of("192.0.2.10"),
          "dual.example.net", List.of("2001:db8:0:0:0:0:0:10", "203.0.113.9"),
          "zero.example.net", List.of("0.0.0.0", "203.0.113.4"));

  private static final Resolver FAKE_DNS =
      hostname -> {
        List<String> answer = DNS.get(hostname);
        if (answer == null) {
          throw new UnknownHostException(hostname + ": NXDOMAIN");
        }
        List<InetAddress> out = new ArrayList<>();
        for (String a : answer) {
          out.add(InetAddress.getByName(a)); // literals only: no real lookup
        }
        return out;
      };

  /** Inputs with the last known endpoints as text, as status holds them (garbage dropped). */
  private static ReplicaInputs inputs(
      List<LoadBalancerIngress> ingress, List<NodeAddress> nodes, List<String> lastKnown) {
    PeerRelayStatus status = new PeerRelayStatus();
    lastKnown.forEach(a -> status.getEndpoints().add(new RelayEndpoint(0, a)));
    return new ReplicaInputs(
        ingress, nodes, Endpoints.lastKnown(status).getOrDefault(0, List.of()));
  }

  private static List<String> text(List<Endpoint> endpoints) {
    return endpoints.stream().map(Endpoint::toString).toList();
  }

  private static LoadBalancerIngress ip(String ip) {
    return new LoadBalancerIngressBuilder().withIp(ip).build();
  }

  private static LoadBalancerIngress host(String hostname) {
    return new LoadBalancerIngressBuilder().withHostname(hostname).build();
  }

  private static NodeAddress node(String type, String address) {
    return new NodeAddress(address, type);
  }

  private static PeerRelaySpec spec(ExposureType type, Consumer<PeerRelaySpec> more) {
    PeerRelaySpec spec = new PeerRelaySpec();
    spec.getExposure().setType(type);
    more.accept(spec);
    return spec;
  }

  private static Arguments row(
      String name, PeerRelaySpec spec, ReplicaInputs replica0, List<String> expected) {
    return Arguments.of(name, spec, replica0, expected);
  }

  static Stream<Arguments> cases() {
    PeerRelaySpec nlb = spec(ExposureType.AWSNLB, s -> {});
    PeerRelaySpec lb = spec(ExposureType.LoadBalancer, s -> {});
    return Stream.of(
        row(
            "every ingress ip",
            lb,
            inputs(List.of(ip("203.0.113.5"), ip("203.0.113.1")), List.of(), List.of()),
            List.of("203.0.113.1:40000", "203.0.113.5:40000")),
        row(
            "hostname resolved to all its addresses",
            nlb,
            inputs(List.of(host("nlb-1.elb.us-east-1.amazonaws.com")), List.of(), List.of()),
            List.of("192.0.2.10:40000", "198.51.100.7:40000")),
        row(
            "mixed ip and hostname, IPv4 before IPv6, IPv6 in RFC 5952 form",
            lb,
            inputs(List.of(ip("203.0.113.1"), host("dual.example.net")), List.of(), List.of()),
            List.of("203.0.113.1:40000", "203.0.113.9:40000", "[2001:db8::10]:40000")),
        row(
            "unresolvable hostname without history: nothing yet",
            nlb,
            inputs(List.of(host("provisioning.elb.amazonaws.com")), List.of(), List.of()),
            List.of()),
        row(
            "unresolvable hostname keeps the last known endpoints",
            lb,
            inputs(
                List.of(host("provisioning.elb.amazonaws.com")),
                List.of(),
                List.of("192.0.2.10:40000", "[2001:db8::10]:40000")),
            List.of("192.0.2.10:40000", "[2001:db8::10]:40000")),
        row(
            "NLB answer that drops a zone is merged with what was seen before",
            nlb,
            inputs(
                List.of(host("nlb-one-zone.elb.us-east-1.amazonaws.com")),
                List.of(),
                List.of("192.0.2.10:40000", "198.51.100.7:40000")),
            List.of("192.0.2.10:40000", "198.51.100.7:40000")),
        row(
            "an NLB answer sharing no address with history is a new load balancer: start over",
            nlb,
            inputs(
                List.of(host("nlb-1.elb.us-east-1.amazonaws.com")),
                List.of(),
                List.of("198.51.100.99:40000")),
            List.of("192.0.2.10:40000", "198.51.100.7:40000")),
        row(
            "plain LoadBalancer: the latest DNS answer wins",
            lb,
            inputs(
                List.of(host("nlb-one-zone.elb.us-east-1.amazonaws.com")),
                List.of(),
                List.of("198.51.100.7:40000")),
            List.of("192.0.2.10:40000")),
        row(
            "no ingress any more (load balancer gone): history forgotten",
            nlb,
            inputs(List.of(), List.of(), List.of("198.51.100.7:40000")),
            List.of()),
        row(
            "history entries on another port (old static endpoints) are not remembered",
            nlb,
            inputs(
                List.of(host("provisioning.elb.amazonaws.com")),
                List.of(),
                List.of("192.0.2.50:51820", "192.0.2.10:40000", "not-an-endpoint")),
            List.of("192.0.2.10:40000")),
        row(
            "pinned Elastic IP address advertised before DNS answers",
            spec(
                ExposureType.AWSNLB,
                s -> {
                  ElasticIP eip = new ElasticIP("eipalloc-0a", "subnet-0a", "us-east-1a");
                  eip.setPublicIP("3.5.140.2");
                  s.getExposure().setElasticIPs(List.of(eip));
                }),
            inputs(List.of(host("provisioning.elb.amazonaws.com")), List.of(), List.of()),
            List.of("3.5.140.2:40000")),
        row(
            "static endpoints keep their own port and join discovered ones, de-duplicated",
            spec(
                ExposureType.LoadBalancer,
                s ->
                    s.setStaticEndpoints(
                        List.of(
                            new StaticEndpoint("203.0.113.5:40000", null),
                            new StaticEndpoint("192.0.2.99:51820", 0),
                            new StaticEndpoint("[2001:DB8:0:0:1::1]:443", null),
                            new StaticEndpoint("192.0.2.77:1", 1)))),
            inputs(List.of(ip("203.0.113.5")), List.of(), List.of()),
            List.of("192.0.2.99:51820", "203.0.113.5:40000", "[2001:db8::1:0:0:1]:443")),
        row(
            "None exposure: only static endpoints",
            spec(
                ExposureType.None,
                s -> s.setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.1:40000", null)))),
            inputs(List.of(ip("203.0.113.5")), List.of(), List.of("198.51.100.1:40000")),
            List.of("192.0.2.1:40000")),
        row(
            "NodeAddress: the node's ExternalIP addresses",
            spec(ExposureType.NodeAddress, s -> {}),
            inputs(
                List.of(),
                List.of(
                    node("InternalIP", "10.0.0.5"),
                    node("ExternalIP", "203.0.113.20"),
                    node("Hostname", "ip-10-0-0-5"),
                    node("ExternalIP", "2001:db8::20")),
                List.of()),
            List.of("203.0.113.20:40000", "[2001:db8::20]:40000")),
        row(
            "NodeAddress with InternalIP asked for",
            spec(
                ExposureType.NodeAddress,
                s -> s.getExposure().setNodeAddressType(NodeAddressType.InternalIP)),
            inputs(
                List.of(),
                List.of(node("InternalIP", "10.0.0.5"), node("ExternalIP", "203.0.113.20")),
                List.of()),
            List.of("10.0.0.5:40000")),
        row(
            "NodeAddress never falls back to a private address",
            spec(ExposureType.NodeAddress, s -> {}),
            inputs(List.of(), List.of(node("InternalIP", "10.0.0.5")), List.of()),
            List.of()),
        row(
            "udpPort is the port of every discovered endpoint",
            spec(ExposureType.LoadBalancer, s -> s.setUdpPort(3478)),
            inputs(List.of(ip("203.0.113.5")), List.of(), List.of()),
            List.of("203.0.113.5:3478")),
        row(
            "unspecified addresses are never advertised (the relay would reject its config)",
            lb,
            inputs(List.of(host("zero.example.net"), ip("0.0.0.0")), List.of(), List.of()),
            List.of("203.0.113.4:40000")),
        row(
            "addresses sort numerically by bytes, not as text",
            lb,
            inputs(
                List.of(ip("192.0.2.1"), ip("10.1.0.1"), ip("9.9.9.9"), ip("10.0.0.200")),
                List.of(),
                List.of()),
            List.of("9.9.9.9:40000", "10.0.0.200:40000", "10.1.0.1:40000", "192.0.2.1:40000")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void replicaEndpoints(
      String name, PeerRelaySpec spec, ReplicaInputs replica0, List<String> expected) {
    Map<Integer, List<Endpoint>> out =
        new Endpoints(FAKE_DNS).computeFrom(spec, Map.of(0, replica0));
    assertThat(out).containsOnlyKeys(0);
    assertThat(text(out.get(0))).containsExactlyElementsOf(expected);
  }

  @Test
  void anUnresolvableHostnameKeepingHistoryIsReportedStaleAndOnlyThen() {
    PeerRelaySpec lb = spec(ExposureType.LoadBalancer, s -> s.setReplicas(3));
    String gone = "provisioning.elb.amazonaws.com";
    Endpoints.Computed c =
        new Endpoints(FAKE_DNS)
            .computeAll(
                lb,
                Map.of(
                    0, inputs(List.of(host(gone)), List.of(), List.of("192.0.2.10:40000")),
                    1, inputs(List.of(host(gone)), List.of(), List.of()),
                    2,
                        inputs(
                            List.of(host("nlb-1.elb.us-east-1.amazonaws.com")),
                            List.of(),
                            List.of("192.0.2.10:40000"))));
    assertThat(text(c.byReplica().get(0))).containsExactly("192.0.2.10:40000");
    // Replica 1 never had an address (still provisioning: EndpointsPending), replica 2 resolved.
    assertThat(c.staleHostnames()).containsOnlyKeys(0).containsEntry(0, List.of(gone));
  }

  @Test
  void everyReplicaBelowSpecReplicasGetsAnEntryAndStatusIsSortedByReplica() {
    PeerRelay relay = new PeerRelay();
    relay.setMetadata(new ObjectMetaBuilder().withName("office").withNamespace("relays").build());
    relay.setSpec(
        spec(
            ExposureType.NodeAddress,
            s -> {
              s.setReplicas(3);
              s.setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.1:40000", null)));
            }));
    Node node1 =
        new NodeBuilder()
            .withNewStatus()
            .addNewAddress()
            .withType("ExternalIP")
            .withAddress("203.0.113.11")
            .endAddress()
            .endStatus()
            .build();
    Service ignored =
        new ServiceBuilder()
            .withNewStatus()
            .withNewLoadBalancer()
            .withIngress(ip("198.51.100.1"))
            .endLoadBalancer()
            .endStatus()
            .build();
    Map<Integer, List<Endpoint>> out =
        new Endpoints(FAKE_DNS)
            .compute(
                relay,
                Map.of(0, ignored),
                Map.of(1, node1),
                Map.of(5, List.of(Endpoint.parse("192.0.2.200:40000"))));
    Map<Integer, List<String>> asText = new java.util.TreeMap<>();
    out.forEach((i, list) -> asText.put(i, text(list)));
    assertThat(asText)
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    0, List.of("192.0.2.1:40000"),
                    1, List.of("192.0.2.1:40000", "203.0.113.11:40000"),
                    2, List.of("192.0.2.1:40000"))));
  }

  @Test
  void lastKnownEndpointsAreReadFromStatusSkippingWhatDoesNotParse() {
    PeerRelayStatus status = new PeerRelayStatus();
    status.getEndpoints().add(new RelayEndpoint(1, "192.0.2.50:51820"));
    status.getEndpoints().add(new RelayEndpoint(1, "not-an-endpoint"));
    status.getEndpoints().add(new RelayEndpoint(0, "[2001:db8::1]:40000"));
    assertThat(Endpoints.lastKnown(status))
        .containsOnly(
            Map.entry(0, List.of(Endpoint.parse("[2001:db8::1]:40000"))),
            Map.entry(1, List.of(Endpoint.parse("192.0.2.50:51820"))));
    assertThat(Endpoints.lastKnown(null)).isEmpty();
  }

  @Test
  void repeatedComputationGivesTheSameBytes() {
    PeerRelaySpec nlb = spec(ExposureType.AWSNLB, s -> {});
    ReplicaInputs in =
        inputs(
            List.of(host("nlb-one-zone.elb.us-east-1.amazonaws.com")),
            List.of(),
            List.of("198.51.100.7:40000"));
    Endpoints endpoints = new Endpoints(FAKE_DNS);
    var first = endpoints.computeFrom(nlb, Map.of(0, in));
    var second =
        endpoints.computeFrom(
            nlb, Map.of(0, new ReplicaInputs(in.ingress(), List.of(), first.get(0))));
    assertThat(second).isEqualTo(first);
  }
}
