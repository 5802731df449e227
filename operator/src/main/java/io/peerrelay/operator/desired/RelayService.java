package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.peerrelay.operator.api.Exposure;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The per-replica Service that gives replica {@code i} a public address (exposure modes). */
public final class RelayService {

  /** The AWS Load Balancer Controller's class: only it (not the legacy cloud provider) acts. */
  public static final String AWS_NLB_CLASS = "service.k8s.aws/nlb";

  /** Prefix of every AWS load balancer annotation. */
  public static final String AWS = "service.beta.kubernetes.io/aws-load-balancer-";

  /** Annotation that sets NLB attributes (cross-zone and others). */
  public static final String ATTRIBUTES = AWS + "attributes";

  /** Annotation that pins an NLB to Elastic IP allocations. */
  public static final String EIP_ALLOCATIONS = AWS + "eip-allocations";

  /** Annotation that pins an NLB to subnets. */
  public static final String SUBNETS = AWS + "subnets";

  /** What was built, and which user annotations had to be replaced to build it. */
  public record Desired(Service service, List<OverriddenAnnotation> overridden) {}

  /** A user Service annotation replaced by the value the operator depends on. */
  public record OverriddenAnnotation(String key, String userValue, String forcedValue) {
    @Override
    public String toString() {
      return key + "=" + userValue + " (replaced by " + forcedValue + ")";
    }
  }

  private RelayService() {}

  /**
   * The Service of replica {@code index} with the user annotations it had to replace; empty for
   * NodeAddress and None exposure.
   */
  public static Optional<Desired> desired(PeerRelay relay, int index) {
    PeerRelaySpec spec = relay.getSpec();
    Exposure exposure = spec.exposureOrDefault();
    ExposureType type = spec.exposureType();
    if (type == ExposureType.NodeAddress || type == ExposureType.None) {
      return Optional.empty();
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (exposure.getAnnotations() != null) {
      annotations.putAll(exposure.getAnnotations());
    }
    List<OverriddenAnnotation> overridden = new ArrayList<>();
    String loadBalancerClass;
    if (type == ExposureType.AWSNLB) {
      loadBalancerClass = AWS_NLB_CLASS;
      forcedNlbAnnotations(spec, exposure, index)
          .forEach(
              (key, value) -> {
                String user = annotations.put(key, value);
                if (user != null && !user.equals(value)) {
                  overridden.add(new OverriddenAnnotation(key, user, value));
                }
              });
    } else {
      loadBalancerClass = emptyToNull(exposure.getLoadBalancerClass());
    }
    String name = Names.replica(relay, index);
    Service service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(relay.getMetadata().getNamespace())
            .withLabels(Names.replicaLabels(relay, index))
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .withLoadBalancerClass(loadBalancerClass)
            // NLB targets are pod (here node) IPs: NodePorts would be opened on every node for
            // nothing. Other load balancers may need them, so only AWSNLB turns them off.
            .withAllocateLoadBalancerNodePorts(type == ExposureType.AWSNLB ? Boolean.FALSE : null)
            .withExternalTrafficPolicy(
                exposure.getExternalTrafficPolicy() == null
                    ? null
                    : exposure.getExternalTrafficPolicy().name())
            .withSelector(Names.replicaSelector(relay, index))
            .addNewPort()
            .withName("relay")
            .withProtocol("UDP")
            .withPort(spec.getUdpPort())
            .withTargetPort(new IntOrString(spec.getUdpPort()))
            .endPort()
            .endSpec()
            .build();
    Owners.own(service, relay);
    return Optional.of(new Desired(service, List.copyOf(overridden)));
  }

  /** The annotations AWSNLB mode cannot work without, for replica {@code index}. */
  static Map<String, String> forcedNlbAnnotations(
      PeerRelaySpec spec, Exposure exposure, int index) {
    Map<String, String> forced = new LinkedHashMap<>();
    forced.put(AWS + "type", "external");
    // hostNetwork pods register the node's IP as an "ip" target: works with any CNI.
    forced.put(AWS + "nlb-target-type", "ip");
    forced.put(AWS + "scheme", "internet-facing");
    // UDP cannot be health-checked, and the default TCP check against a UDP-only port always
    // fails (and UDP target groups then fail open, hiding outages): check the relay's readiness.
    forced.put(AWS + "healthcheck-protocol", "http");
    forced.put(AWS + "healthcheck-port", Integer.toString(spec.getHttpPort()));
    forced.put(AWS + "healthcheck-path", Names.READINESS_PATH);
    boolean userAttributes =
        exposure.getAnnotations() != null && exposure.getAnnotations().containsKey(ATTRIBUTES);
    if (!userAttributes && !Boolean.FALSE.equals(exposure.getCrossZone())) {
      // A replica's single target lives in one zone: without cross-zone load balancing the NLB's
      // addresses in its other zones have no healthy target and drop what clients send there.
      forced.put(ATTRIBUTES, "load_balancing.cross_zone.enabled=true");
    }
    RelayStatefulSet.pinnedElasticIp(spec, index)
        .ifPresent(
            eip -> {
              forced.put(EIP_ALLOCATIONS, eip.getAllocationID());
              if (eip.getSubnetID() != null && !eip.getSubnetID().isEmpty()) {
                forced.put(SUBNETS, eip.getSubnetID());
              }
            });
    return forced;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
