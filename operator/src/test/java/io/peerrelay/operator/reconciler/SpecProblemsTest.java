package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.Lifetimes;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.StaticEndpoint;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reconciler's re-check of what the CRD validates names the field for each broken rule. */
class SpecProblemsTest {

  static Stream<Arguments> specs() {
    return Stream.of(
        Arguments.of("valid", (Consumer<PeerRelay>) r -> {}, null),
        Arguments.of("replicas above 64", set(r -> r.getSpec().setReplicas(65)), "spec.replicas"),
        Arguments.of("udpPort 0", set(r -> r.getSpec().setUdpPort(0)), "spec.udpPort"),
        Arguments.of(
            "same ports",
            set(
                r -> {
                  r.getSpec().setUdpPort(9090);
                  r.getSpec().setHttpPort(9090);
                }),
            "spec.httpPort: must differ"),
        Arguments.of(
            "missing exposure type",
            set(r -> r.getSpec().getExposure().setType(null)),
            "spec.exposure.type"),
        Arguments.of(
            "too few elastic IPs",
            set(
                r -> {
                  r.getSpec().setReplicas(2);
                  r.getSpec()
                      .getExposure()
                      .setElasticIPs(List.of(new ElasticIP("eipalloc-1", null, null)));
                }),
            "spec.exposure.elasticIPs: 1 given for 2"),
        Arguments.of(
            "subnet without zone",
            set(
                r ->
                    r.getSpec()
                        .getExposure()
                        .setElasticIPs(List.of(new ElasticIP("eipalloc-1", "subnet-1", null)))),
            "spec.exposure.elasticIPs[0]: subnetID and zone"),
        Arguments.of(
            "elastic IP without subnet",
            set(
                r ->
                    r.getSpec()
                        .getExposure()
                        .setElasticIPs(List.of(new ElasticIP("eipalloc-1", null, null)))),
            "spec.exposure.elasticIPs[0]: subnetID and zone are required"),
        Arguments.of(
            "class outside LoadBalancer mode",
            set(r -> r.getSpec().getExposure().setLoadBalancerClass("x")),
            "spec.exposure.loadBalancerClass"),
        Arguments.of(
            "static endpoint hostname",
            set(
                r ->
                    r.getSpec()
                        .setStaticEndpoints(List.of(new StaticEndpoint("relay.example:1", null)))),
            "spec.staticEndpoints[0].address"),
        Arguments.of(
            "bad lifetime",
            set(
                r -> {
                  Lifetimes l = new Lifetimes();
                  l.setBind("5 minutes");
                  r.getSpec().setLifetimes(l);
                }),
            "spec.lifetimes.bind"),
        Arguments.of(
            "zero lifetime (the relay refuses it)",
            set(
                r -> {
                  Lifetimes l = new Lifetimes();
                  l.setGcInterval("0s");
                  r.getSpec().setLifetimes(l);
                }),
            "spec.lifetimes.gcInterval: must be more than 0"),
        Arguments.of("bad drain", set(r -> r.getSpec().setDrain("soon")), "spec.drain"),
        Arguments.of(
            "dotted name", set(r -> r.getMetadata().setName("office.east")), "metadata.name"),
        Arguments.of(
            "name too long", set(r -> r.getMetadata().setName("r".repeat(50))), "metadata.name"));
  }

  private static Consumer<PeerRelay> set(Consumer<PeerRelay> c) {
    return c;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void namesTheBrokenField(String name, Consumer<PeerRelay> change, String expected) {
    PeerRelay r = new PeerRelay();
    r.setMetadata(new ObjectMetaBuilder().withName("office").withNamespace("ns").build());
    r.getSpec().getExposure().setType(ExposureType.AWSNLB);
    change.accept(r);
    String problem = SpecProblems.first(r);
    if (expected == null) {
      assertThat(problem).isNull();
    } else {
      assertThat(problem).startsWith(expected);
    }
  }
}
