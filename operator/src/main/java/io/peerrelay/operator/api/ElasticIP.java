package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** One AWS Elastic IP a replica's NLB is pinned to, with the subnet and zone it lives in. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The AWS Load Balancer Controller refuses eip-allocations unless aws-load-balancer-subnets names
// exactly as many subnets, so an entry without its subnet can never become an NLB. Placing the
// replica by zone alone would not help: the operator cannot turn a zone into a subnet ID, and the
// controller's own subnet discovery picks one subnet per zone of the cluster, not one per EIP.
@ValidationRule(
    value = "has(self.subnetID) && has(self.zone)",
    message =
        "elasticIPs[]: subnetID and zone are required: the AWS Load Balancer Controller needs one"
            + " subnet per Elastic IP allocation, and the relay pod is pinned to that subnet's"
            + " zone; add the subnetID (subnet-...) the Elastic IP was allocated for and its"
            + " zone (e.g. us-east-1a)")
public class ElasticIP {

  @JsonPropertyDescription(
      "Allocation ID of the Elastic IP (eipalloc-...), stamped as"
          + " service.beta.kubernetes.io/aws-load-balancer-eip-allocations.")
  @JsonProperty("allocationID")
  @Required
  @Pattern("^eipalloc-[0-9a-f]+$")
  private String allocationID;

  @JsonPropertyDescription(
      "Subnet ID (subnet-...) of the NLB for this replica, stamped as"
          + " service.beta.kubernetes.io/aws-load-balancer-subnets. Required: the AWS Load"
          + " Balancer Controller needs one subnet per Elastic IP allocation.")
  @JsonProperty("subnetID")
  @Pattern("^subnet-[0-9a-f]+$")
  private String subnetID;

  @JsonPropertyDescription(
      "Required: availability zone of subnetID (e.g. us-east-1a); the replica's pod gets a"
          + " topology.kubernetes.io/zone nodeSelector for it, because an NLB only forwards to"
          + " targets in its enabled zones.")
  private String zone;

  @JsonPropertyDescription(
      "Optional: the Elastic IP's public IPv4 address. When given it is advertised right away"
          + " (before the NLB's DNS name resolves) and kept when the NLB's DNS answer leaves it"
          + " out.")
  @JsonProperty("publicIP")
  @Pattern("^" + StaticEndpoint.IPV4 + "$")
  private String publicIP;

  public ElasticIP() {}

  public ElasticIP(String allocationID, String subnetID, String zone) {
    this.allocationID = allocationID;
    this.subnetID = subnetID;
    this.zone = zone;
  }

  @JsonProperty("allocationID")
  public String getAllocationID() {
    return allocationID;
  }

  @JsonProperty("allocationID")
  public void setAllocationID(String allocationID) {
    this.allocationID = allocationID;
  }

  @JsonProperty("subnetID")
  public String getSubnetID() {
    return subnetID;
  }

  @JsonProperty("subnetID")
  public void setSubnetID(String subnetID) {
    this.subnetID = subnetID;
  }

  @JsonProperty("publicIP")
  public String getPublicIP() {
    return publicIP;
  }

  @JsonProperty("publicIP")
  public void setPublicIP(String publicIP) {
    this.publicIP = publicIP;
  }

  public String getZone() {
    return zone;
  }

  public void setZone(String zone) {
    this.zone = zone;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ElasticIP)) {
      return false;
    }
    ElasticIP e = (ElasticIP) o;
    return Objects.equals(allocationID, e.allocationID)
        && Objects.equals(subnetID, e.subnetID)
        && Objects.equals(zone, e.zone)
        && Objects.equals(publicIP, e.publicIP);
  }

  @Override
  public int hashCode() {
    return Objects.hash(allocationID, subnetID, zone, publicIP);
  }
}
