package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.ImagePullPolicy;
import io.peerrelay.operator.api.Lifetimes;
import io.peerrelay.operator.api.Limits;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.StaticEndpoint;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RelayStatefulSetTest {

  private static final String DEFAULT_IMAGE = "ghcr.io/peerrelay/relay:0.1.0";

  private static StatefulSet build(Consumer<PeerRelaySpec> spec, int index) {
    return RelayStatefulSet.relayStatefulSet(Relays.relay(spec), index, DEFAULT_IMAGE);
  }

  private static PodSpec pod(StatefulSet sts) {
    return sts.getSpec().getTemplate().getSpec();
  }

  private static Container relay(StatefulSet sts) {
    return pod(sts).getContainers().get(0);
  }

  @Test
  void oneHostNetworkPodPerReplicaWithStableNameAndSelector() {
    StatefulSet sts = build(s -> {}, 3);
    assertThat(sts.getMetadata().getName()).isEqualTo("office-3");
    assertThat(sts.getMetadata().getNamespace()).isEqualTo("relays");
    assertThat(sts.getSpec().getReplicas()).isEqualTo(1);
    assertThat(sts.getSpec().getSelector().getMatchLabels())
        .containsEntry(Names.LABEL_RELAY, "office")
        .containsEntry(Names.LABEL_REPLICA, "3");
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    assertThat(pod(sts).getHostNetwork()).isTrue();
    assertThat(pod(sts).getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
    assertThat(pod(sts).getAutomountServiceAccountToken()).isFalse();
  }

  static Stream<Arguments> ports() {
    return Stream.of(
        Arguments.of((Consumer<PeerRelaySpec>) s -> {}, 40000, 9090),
        Arguments.of((Consumer<PeerRelaySpec>) s -> s.setUdpPort(3478), 3478, 9090),
        Arguments.of(
            (Consumer<PeerRelaySpec>)
                s -> {
                  s.setUdpPort(41641);
                  s.setHttpPort(8081);
                },
            41641,
            8081));
  }

  @ParameterizedTest
  @MethodSource("ports")
  void declaresUdpAndHttpHostPortsAndProbesOnTheHttpPort(
      Consumer<PeerRelaySpec> spec, int udp, int http) {
    Container c = relay(build(spec, 0));
    assertThat(c.getPorts())
        .extracting(
            ContainerPort::getProtocol, ContainerPort::getContainerPort, ContainerPort::getHostPort)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("UDP", udp, udp),
            org.assertj.core.groups.Tuple.tuple("TCP", http, http));
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(c.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(http);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getLivenessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(http);
  }

  @Test
  void runsLockedDown() {
    StatefulSet sts = build(s -> {}, 0);
    var podSecurity = pod(sts).getSecurityContext();
    assertThat(podSecurity.getRunAsNonRoot()).isTrue();
    assertThat(podSecurity.getRunAsUser()).isEqualTo(65532L);
    assertThat(podSecurity.getRunAsGroup()).isEqualTo(65532L);
    assertThat(podSecurity.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var security = relay(sts).getSecurityContext();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getPrivileged()).isNull();
  }

  @Test
  void mountsConfigAndKeyDirectoriesOfItsOwnReplicaWithoutSubPath() {
    StatefulSet sts = build(s -> {}, 4);
    assertThat(relay(sts).getCommand())
        .containsExactly("peer-relay", "serve", "--config", "/etc/peerrelay/config/relay.yaml");
    assertThat(relay(sts).getVolumeMounts())
        .extracting(m -> m.getName() + ":" + m.getMountPath() + ":" + m.getSubPath())
        .contains("config:/etc/peerrelay/config:null", "key:/etc/peerrelay/key:null");
    assertThat(pod(sts).getVolumes())
        .filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName())
        .containsExactly("office-4");
    assertThat(pod(sts).getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .extracting(v -> v.getSecret().getSecretName())
        .containsExactly("office-4");
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {"null,15", "10s,15", "0s,5", "1m,65", "1.5s,7", "2m30s,155"})
  void terminationGraceIsDrainPlusMargin(String drain, long seconds) {
    assertThat(pod(build(s -> s.setDrain(drain), 0)).getTerminationGracePeriodSeconds())
        .isEqualTo(seconds);
  }

  static Stream<Arguments> zones() {
    List<ElasticIP> eips =
        List.of(
            new ElasticIP("eipalloc-0a", "subnet-0a", "us-east-1a"),
            new ElasticIP("eipalloc-0b", null, null),
            new ElasticIP("eipalloc-0c", "subnet-0c", "us-east-1c"));
    return Stream.of(
        Arguments.of(List.of(), 0, null),
        Arguments.of(eips, 0, "us-east-1a"),
        Arguments.of(eips, 1, null),
        Arguments.of(eips, 2, "us-east-1c"),
        Arguments.of(eips, 3, null));
  }

  @ParameterizedTest
  @MethodSource("zones")
  void replicaPinnedToAnElasticIpRunsInItsZone(List<ElasticIP> eips, int index, String zone) {
    Map<String, String> selector =
        pod(build(
                s -> {
                  s.getExposure().setElasticIPs(eips);
                  s.setNodeSelector(Map.of("pool", "edge"));
                },
                index))
            .getNodeSelector();
    assertThat(selector).containsEntry("pool", "edge").containsEntry("kubernetes.io/os", "linux");
    if (zone == null) {
      assertThat(selector).doesNotContainKey(RelayStatefulSet.ZONE_LABEL);
    } else {
      assertThat(selector).containsEntry(RelayStatefulSet.ZONE_LABEL, zone);
    }
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "null",
      value = {
        "null,ghcr.io/peerrelay/relay:0.1.0",
        "my/relay:dev,my/relay:dev",
        "'',ghcr.io/peerrelay/relay:0.1.0"
      })
  void usesTheSpecImageOrTheOperatorDefault(String image, String expected) {
    assertThat(relay(build(s -> s.setImage(image), 0)).getImage()).isEqualTo(expected);
  }

  @Test
  void passesPlacementAndPodMetadataThroughButKeepsItsOwnLabels() {
    StatefulSet sts =
        build(
            s -> {
              s.setImagePullPolicy(ImagePullPolicy.Always);
              s.setPriorityClassName("relay-critical");
              s.setImagePullSecrets(List.of(new LocalObjectReference("registry-creds")));
              s.setTolerations(
                  List.of(new TolerationBuilder().withKey("edge").withOperator("Exists").build()));
              s.setPodAnnotations(Map.of("example.com/team", "net"));
              s.setPodLabels(Map.of("team", "net", Names.LABEL_RELAY, "hijack"));
              s.setResources(
                  new ResourceRequirementsBuilder()
                      .addToRequests("cpu", new Quantity("1"))
                      .build());
            },
            1);
    assertThat(relay(sts).getImagePullPolicy()).isEqualTo("Always");
    assertThat(pod(sts).getPriorityClassName()).isEqualTo("relay-critical");
    assertThat(pod(sts).getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("registry-creds");
    assertThat(pod(sts).getTolerations()).hasSize(1);
    assertThat(sts.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("example.com/team", "net");
    assertThat(sts.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("team", "net")
        .containsEntry(Names.LABEL_RELAY, "office");
    assertThat(relay(sts).getResources().getRequests()).containsEntry("cpu", new Quantity("1"));
  }

  @Test
  void defaultResourcesWhenNoneAreGiven() {
    var resources = relay(build(s -> {}, 0)).getResources();
    assertThat(resources.getRequests()).containsKeys("cpu", "memory");
    assertThat(resources.getLimits()).containsKey("memory");
  }

  @Test
  void configOnlyChangesLeaveThePodTemplateAlone() {
    // The relay hot-reloads its config: changing what goes only into the config file must not
    // change the template, or every change would restart the relay and drop its sessions.
    StatefulSet before = build(s -> {}, 0);
    StatefulSet after =
        build(
            s -> {
              s.setLifetimes(new Lifetimes());
              s.setLimits(new Limits());
              s.setStaticEndpoints(List.of(new StaticEndpoint("192.0.2.1:40000", null)));
              s.getExposure().setAnnotations(Map.of("a", "b"));
              s.getExposure().setCrossZone(false);
            },
            0);
    assertThat(after).isEqualTo(before);
  }

  @Test
  void isOwnedByItsRelayExactlyOnceEvenWhenTheFrameworkAddsTheReferenceAgain() {
    PeerRelay relay = Relays.relay();
    StatefulSet sts = RelayStatefulSet.relayStatefulSet(relay, 0, DEFAULT_IMAGE);
    sts.addOwnerReference(relay);
    assertThat(sts.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("PeerRelay");
              assertThat(o.getApiVersion()).isEqualTo("peerrelay.io/v1alpha1");
              assertThat(o.getUid()).isEqualTo(relay.getMetadata().getUid());
              assertThat(o.getController()).isTrue();
            });
  }

  @Test
  void tailnetModeMountsTheAuthKeyOptionallyAndTheNodeStateReadOnly() {
    StatefulSet plain = build(s -> {}, 1);
    StatefulSet sts =
        build(
            s -> {
              io.peerrelay.operator.api.Tailnet t = new io.peerrelay.operator.api.Tailnet();
              t.setAuthKeySecretRef(
                  new io.peerrelay.operator.api.TailnetAuthKeyRef("ts-auth", "key"));
              s.setTailnet(t);
            },
            1);
    assertThat(pod(plain).getVolumes()).extracting("name").doesNotContain("tailnet-auth");
    var auth =
        pod(sts).getVolumes().stream()
            .filter(v -> v.getName().equals("tailnet-auth"))
            .findFirst()
            .orElseThrow()
            .getSecret();
    assertThat(auth.getSecretName()).isEqualTo("ts-auth");
    assertThat(auth.getOptional()).isTrue();
    assertThat(auth.getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("key");
              assertThat(item.getPath()).isEqualTo("authkey");
            });
    assertThat(pod(sts).getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("tailnet-state");
              assertThat(v.getSecret().getSecretName()).isEqualTo("office-1-tailnet");
              assertThat(v.getSecret().getOptional()).isNull();
            });
    assertThat(pod(sts).getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> m.getName().startsWith("tailnet-"))
        .extracting(m -> m.getMountPath() + " ro=" + m.getReadOnly())
        .containsExactly(
            "/etc/peerrelay/tailnet-auth ro=true", "/etc/peerrelay/tailnet-state ro=true");
  }
}
