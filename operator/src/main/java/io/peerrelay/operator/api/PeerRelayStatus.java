package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed for a PeerRelay: replicas, endpoints, identity and conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// List-map markers make server-side apply merge entries by key instead of replacing the list; the
// fabric8 annotations cannot express them (see ListMapSchema).
@SchemaCustomizer(
    value = ListMapSchema.class,
    input = "endpoints:replica,address;replicaStatuses:index;conditions:type")
public class PeerRelayStatus {

  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Number of replicas with a relay pod (scale subresource).")
  @StatusReplicas
  private Integer replicas;

  @JsonPropertyDescription("Number of replicas whose relay pod is ready.")
  private Integer readyReplicas;

  @JsonPropertyDescription(
      "Label selector of the relay pods, as a string (scale subresource, kubectl scale).")
  @LabelSelector
  private String selector;

  @JsonPropertyDescription("One entry per replica, sorted by index.")
  private List<ReplicaStatus> replicaStatuses = new ArrayList<>();

  @JsonPropertyDescription(
      "Every advertised endpoint, keyed by replica and address, sorted by (replica, address).")
  private List<RelayEndpoint> endpoints = new ArrayList<>();

  @JsonPropertyDescription(
      "All endpoints joined by commas, e.g. 203.0.113.1:40000,203.0.113.2:40000 (kubectl get).")
  private String endpointSummary;

  @JsonPropertyDescription(
      "Number of distinct client keys granted by the RelayGrants selecting this relay.")
  private Integer grantedKeys;

  @JsonPropertyDescription(
      "Ready, Access and Exposure conditions, and TailnetRegistered in tailnet mode (one entry"
          + " per type).")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public List<ReplicaStatus> getReplicaStatuses() {
    return replicaStatuses;
  }

  public void setReplicaStatuses(List<ReplicaStatus> replicaStatuses) {
    this.replicaStatuses = replicaStatuses;
  }

  public List<RelayEndpoint> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<RelayEndpoint> endpoints) {
    this.endpoints = endpoints;
  }

  public String getEndpointSummary() {
    return endpointSummary;
  }

  public void setEndpointSummary(String endpointSummary) {
    this.endpointSummary = endpointSummary;
  }

  public Integer getGrantedKeys() {
    return grantedKeys;
  }

  public void setGrantedKeys(Integer grantedKeys) {
    this.grantedKeys = grantedKeys;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /** The condition of {@code type}, or null (not a bean getter: never serialized). */
  public Condition condition(String type) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  /** The Ready condition's reason, or null before the first reconcile. */
  public String readyReason() {
    Condition ready = condition(Conditions.READY);
    return ready == null ? null : ready.getReason();
  }

  /** Whether the Ready condition is True. */
  public boolean ready() {
    Condition ready = condition(Conditions.READY);
    return ready != null && Conditions.TRUE.equals(ready.getStatus());
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PeerRelayStatus)) {
      return false;
    }
    PeerRelayStatus s = (PeerRelayStatus) o;
    return Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(readyReplicas, s.readyReplicas)
        && Objects.equals(selector, s.selector)
        && Objects.equals(replicaStatuses, s.replicaStatuses)
        && Objects.equals(endpoints, s.endpoints)
        && Objects.equals(endpointSummary, s.endpointSummary)
        && Objects.equals(grantedKeys, s.grantedKeys)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        replicas,
        readyReplicas,
        selector,
        replicaStatuses,
        endpoints,
        endpointSummary,
        grantedKeys,
        conditions);
  }
}
