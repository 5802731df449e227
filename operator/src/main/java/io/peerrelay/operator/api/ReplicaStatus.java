package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What one replica looks like right now: pod, node, readiness, identity and endpoints. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaStatus {

  @JsonPropertyDescription("Replica index.")
  @Required
  private Integer index;

  @JsonPropertyDescription("Name of the replica's relay pod.")
  private String podName;

  @JsonPropertyDescription("Node the relay pod runs on.")
  private String node;

  @JsonPropertyDescription("Whether the relay pod is ready (its /readyz answers).")
  private Boolean ready;

  @JsonPropertyDescription(
      "The replica's relay disco public key (discokey:<hex>); stable across restarts.")
  private String publicKey;

  @JsonPropertyDescription(
      "Tailnet mode: the replica's node as its relay reports it (name, addresses, online).")
  private ReplicaTailnetStatus tailnet;

  @JsonPropertyDescription("Endpoints (ip:port) the replica advertises to clients.")
  private List<String> endpoints = new ArrayList<>();

  public Integer getIndex() {
    return index;
  }

  public void setIndex(Integer index) {
    this.index = index;
  }

  public String getPodName() {
    return podName;
  }

  public void setPodName(String podName) {
    this.podName = podName;
  }

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public Boolean getReady() {
    return ready;
  }

  public void setReady(Boolean ready) {
    this.ready = ready;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public ReplicaTailnetStatus getTailnet() {
    return tailnet;
  }

  public void setTailnet(ReplicaTailnetStatus tailnet) {
    this.tailnet = tailnet;
  }

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ReplicaStatus)) {
      return false;
    }
    ReplicaStatus r = (ReplicaStatus) o;
    return Objects.equals(index, r.index)
        && Objects.equals(podName, r.podName)
        && Objects.equals(node, r.node)
        && Objects.equals(ready, r.ready)
        && Objects.equals(publicKey, r.publicKey)
        && Objects.equals(endpoints, r.endpoints)
        && Objects.equals(tailnet, r.tailnet);
  }

  @Override
  public int hashCode() {
    return Objects.hash(index, podName, node, ready, publicKey, endpoints, tailnet);
  }

  @Override
  public String toString() {
    return "replica " + index + " pod=" + podName + " ready=" + ready + " endpoints=" + endpoints;
  }
}
