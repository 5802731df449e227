package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** How each replica is exposed: Service kind, Service annotations and Elastic IP pinning. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.elasticIPs) || size(self.elasticIPs) == 0 || self.type == 'AWSNLB'",
    message = "spec.exposure.elasticIPs only apply to type AWSNLB: remove them or use AWSNLB",
    fieldPath = ".elasticIPs")
@ValidationRule(
    value = "!has(self.loadBalancerClass) || self.type == 'LoadBalancer'",
    message =
        "spec.exposure.loadBalancerClass only applies to type LoadBalancer (AWSNLB always uses"
            + " service.k8s.aws/nlb): remove it or use LoadBalancer",
    fieldPath = ".loadBalancerClass")
public class Exposure {

  @JsonPropertyDescription(
      "Exposure mode: AWSNLB (one AWS NLB Service per replica, the default), LoadBalancer (one"
          + " plain LoadBalancer Service per replica), NodeAddress (no Service; the node's address)"
          + " or None (no Service; only staticEndpoints). Immutable: changing it would leak load"
          + " balancers; create a new PeerRelay instead.")
  @Default("AWSNLB")
  @ValidationRule(
      value = "self == oldSelf",
      message =
          "spec.exposure.type is immutable (changing it would leak load balancers): delete and"
              + " recreate the PeerRelay, or create a new one")
  private ExposureType type = ExposureType.AWSNLB;

  @JsonPropertyDescription(
      "loadBalancerClass of the per-replica Services in LoadBalancer mode (set at creation"
          + " only). Empty means the cluster's default load balancer implementation.")
  private String loadBalancerClass;

  @JsonPropertyDescription(
      "Annotations for the per-replica Services (AWSNLB and LoadBalancer modes). In AWSNLB mode"
          + " the operator forces the annotations it depends on; a user value it had to override"
          + " is reported in the Exposure condition.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "AWSNLB: enable cross-zone load balancing (load_balancing.cross_zone.enabled) unless the"
          + " annotation service.beta.kubernetes.io/aws-load-balancer-attributes is set. Default"
          + " true.")
  @Default("true")
  private Boolean crossZone = true;

  @JsonPropertyDescription(
      "AWSNLB: pin replica i to the Elastic IP elasticIPs[i] (and its subnet and zone), so the"
          + " relay's public address survives NLB re-creation. When set, it needs at least one"
          + " entry per replica.")
  @JsonProperty("elasticIPs")
  @Size(max = 64)
  private List<ElasticIP> elasticIPs = new ArrayList<>();

  @JsonPropertyDescription(
      "NodeAddress: which Node address to advertise, ExternalIP (default) or InternalIP.")
  @Default("ExternalIP")
  private NodeAddressType nodeAddressType = NodeAddressType.ExternalIP;

  @JsonPropertyDescription(
      "externalTrafficPolicy of the per-replica LoadBalancer Services (Cluster or Local)."
          + " Empty means the Kubernetes default (Cluster).")
  private ExternalTrafficPolicy externalTrafficPolicy;

  public ExposureType getType() {
    return type;
  }

  public void setType(ExposureType type) {
    this.type = type;
  }

  public String getLoadBalancerClass() {
    return loadBalancerClass;
  }

  public void setLoadBalancerClass(String loadBalancerClass) {
    this.loadBalancerClass = loadBalancerClass;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Boolean getCrossZone() {
    return crossZone;
  }

  public void setCrossZone(Boolean crossZone) {
    this.crossZone = crossZone;
  }

  @JsonProperty("elasticIPs")
  public List<ElasticIP> getElasticIPs() {
    return elasticIPs;
  }

  @JsonProperty("elasticIPs")
  public void setElasticIPs(List<ElasticIP> elasticIPs) {
    this.elasticIPs = elasticIPs;
  }

  public NodeAddressType getNodeAddressType() {
    return nodeAddressType;
  }

  public void setNodeAddressType(NodeAddressType nodeAddressType) {
    this.nodeAddressType = nodeAddressType;
  }

  public ExternalTrafficPolicy getExternalTrafficPolicy() {
    return externalTrafficPolicy;
  }

  public void setExternalTrafficPolicy(ExternalTrafficPolicy externalTrafficPolicy) {
    this.externalTrafficPolicy = externalTrafficPolicy;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Exposure)) {
      return false;
    }
    Exposure e = (Exposure) o;
    return type == e.type
        && Objects.equals(loadBalancerClass, e.loadBalancerClass)
        && Objects.equals(annotations, e.annotations)
        && Objects.equals(crossZone, e.crossZone)
        && Objects.equals(elasticIPs, e.elasticIPs)
        && nodeAddressType == e.nodeAddressType
        && externalTrafficPolicy == e.externalTrafficPolicy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, loadBalancerClass, annotations, crossZone, elasticIPs);
  }
}
