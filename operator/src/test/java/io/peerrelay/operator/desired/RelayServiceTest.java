package io.peerrelay.operator.desired;

import static io.peerrelay.operator.desired.RelayService.AWS;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.ExternalTrafficPolicy;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.desired.RelayService.OverriddenAnnotation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class RelayServiceTest {

  private static PeerRelay relay(ExposureType type, Consumer<PeerRelaySpec> more) {
    return Relays.relay(
        s -> {
          s.getExposure().setType(type);
          more.accept(s);
        });
  }

  private static Service service(PeerRelay relay, int index) {
    return RelayService.desired(relay, index).orElseThrow().service();
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "AWSNLB,true,service.k8s.aws/nlb",
        "LoadBalancer,true,null",
        "NodeAddress,false,null",
        "None,false,null"
      })
  void exposureModeDecidesWhetherAndWhichServiceExists(
      ExposureType type, boolean exists, String loadBalancerClass) {
    var built = RelayService.desired(relay(type, s -> {}), 2).map(RelayService.Desired::service);
    assertThat(built.isPresent()).isEqualTo(exists);
    built.ifPresent(
        svc -> {
          assertThat(svc.getMetadata().getName()).isEqualTo("office-2");
          assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
          assertThat(svc.getSpec().getLoadBalancerClass()).isEqualTo(loadBalancerClass);
          assertThat(svc.getSpec().getSelector())
              .containsEntry(Names.LABEL_RELAY, "office")
              .containsEntry(Names.LABEL_REPLICA, "2");
          assertThat(svc.getSpec().getPorts())
              .singleElement()
              .satisfies(
                  p -> {
                    assertThat(p.getProtocol()).isEqualTo("UDP");
                    assertThat(p.getPort()).isEqualTo(40000);
                    assertThat(p.getTargetPort().getIntVal()).isEqualTo(40000);
                  });
        });
  }

  @Test
  void awsNlbGetsTheAnnotationsItCannotWorkWithout() {
    Map<String, String> a =
        service(relay(ExposureType.AWSNLB, s -> s.setHttpPort(9191)), 0)
            .getMetadata()
            .getAnnotations();
    assertThat(a)
        .containsEntry(AWS + "type", "external")
        .containsEntry(AWS + "nlb-target-type", "ip")
        .containsEntry(AWS + "scheme", "internet-facing")
        .containsEntry(AWS + "healthcheck-protocol", "http")
        .containsEntry(AWS + "healthcheck-port", "9191")
        .containsEntry(AWS + "healthcheck-path", "/readyz")
        .containsEntry(AWS + "attributes", "load_balancing.cross_zone.enabled=true")
        .doesNotContainKeys(RelayService.EIP_ALLOCATIONS, RelayService.SUBNETS);
  }

  static Stream<Arguments> crossZone() {
    return Stream.of(
        Arguments.of(true, Map.of(), "load_balancing.cross_zone.enabled=true"),
        Arguments.of(false, Map.of(), null),
        Arguments.of(
            true,
            Map.of(RelayService.ATTRIBUTES, "deletion_protection.enabled=true"),
            "deletion_protection.enabled=true"));
  }

  @ParameterizedTest
  @MethodSource("crossZone")
  void crossZoneIsOnUnlessDisabledOrTheUserSetsTheAttributes(
      boolean crossZone, Map<String, String> user, String attributes) {
    PeerRelay relay =
        relay(
            ExposureType.AWSNLB,
            s -> {
              s.getExposure().setCrossZone(crossZone);
              s.getExposure().setAnnotations(new LinkedHashMap<>(user));
            });
    assertThat(service(relay, 0).getMetadata().getAnnotations().get(RelayService.ATTRIBUTES))
        .isEqualTo(attributes);
    assertThat(RelayService.desired(relay, 0).orElseThrow().overridden()).isEmpty();
  }

  @Test
  void userAnnotationsAreKeptAndTheOnesReplacedAreReported() {
    PeerRelay relay =
        relay(
            ExposureType.AWSNLB,
            s ->
                s.getExposure()
                    .setAnnotations(
                        Map.of(
                            AWS + "scheme",
                            "internal",
                            AWS + "nlb-target-type",
                            "ip",
                            "example.com/owner",
                            "net")));
    assertThat(service(relay, 0).getMetadata().getAnnotations())
        .containsEntry("example.com/owner", "net")
        .containsEntry(AWS + "scheme", "internet-facing");
    // The same value is no override; only a changed one is reported.
    assertThat(RelayService.desired(relay, 0).orElseThrow().overridden())
        .containsExactly(new OverriddenAnnotation(AWS + "scheme", "internal", "internet-facing"));
  }

  static Stream<Arguments> elasticIps() {
    List<ElasticIP> eips =
        List.of(
            new ElasticIP("eipalloc-0a1", "subnet-0a1", "us-east-1a"),
            new ElasticIP("eipalloc-0b2", null, null));
    return Stream.of(
        Arguments.of(eips, 0, "eipalloc-0a1", "subnet-0a1"),
        Arguments.of(eips, 1, "eipalloc-0b2", null),
        Arguments.of(eips, 2, null, null));
  }

  @ParameterizedTest
  @MethodSource("elasticIps")
  void eachReplicaIsStampedWithItsOwnElasticIpAndSubnet(
      List<ElasticIP> eips, int index, String allocation, String subnet) {
    PeerRelay relay = relay(ExposureType.AWSNLB, s -> s.getExposure().setElasticIPs(eips));
    Map<String, String> a = service(relay, index).getMetadata().getAnnotations();
    assertThat(a.get(RelayService.EIP_ALLOCATIONS)).isEqualTo(allocation);
    assertThat(a.get(RelayService.SUBNETS)).isEqualTo(subnet);
  }

  @Test
  void plainLoadBalancerTakesTheUsersClassAndAnnotationsAsIs() {
    PeerRelay relay =
        relay(
            ExposureType.LoadBalancer,
            s -> {
              s.getExposure().setLoadBalancerClass("io.cilium/bgp-control-plane");
              s.getExposure().setAnnotations(Map.of("metallb.universe.tf/address-pool", "edge"));
              s.getExposure().setExternalTrafficPolicy(ExternalTrafficPolicy.Local);
            });
    Service svc = service(relay, 1);
    assertThat(svc.getSpec().getLoadBalancerClass()).isEqualTo("io.cilium/bgp-control-plane");
    assertThat(svc.getMetadata().getAnnotations())
        .containsExactlyEntriesOf(Map.of("metallb.universe.tf/address-pool", "edge"));
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Local");
    assertThat(svc.getSpec().getAllocateLoadBalancerNodePorts()).isNull();
  }

  @ParameterizedTest
  @EnumSource(
      value = ExposureType.class,
      names = {"AWSNLB", "LoadBalancer"})
  void isOwnedByTheRelayAndLabelledWithTheReplica(ExposureType type) {
    Service svc = service(relay(type, s -> {}), 3);
    assertThat(svc.getMetadata().getLabels()).containsEntry(Names.LABEL_REPLICA, "3");
    assertThat(Names.replicaIndex(svc)).hasValue(3);
    assertThat(svc.getMetadata().getOwnerReferences()).singleElement();
  }
}
