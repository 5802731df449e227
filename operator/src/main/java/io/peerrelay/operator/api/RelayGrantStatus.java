package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator resolved for a RelayGrant: matched relays, key count, conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// See PeerRelayStatus: list-map markers through a schema merge patch.
@SchemaCustomizer(value = ListMapSchema.class, input = "matchedRelays;conditions:type")
public class RelayGrantStatus {

  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Names of the PeerRelays the selector matches, sorted.")
  private List<String> matchedRelays = new ArrayList<>();

  @JsonPropertyDescription("Number of distinct valid client keys this grant resolves to.")
  private Integer keys;

  @JsonPropertyDescription(
      "The Ready condition (reasons Resolved, SecretMissing, KeyMalformed," + " NoRelaysMatched).")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<String> getMatchedRelays() {
    return matchedRelays;
  }

  public void setMatchedRelays(List<String> matchedRelays) {
    this.matchedRelays = matchedRelays;
  }

  public Integer getKeys() {
    return keys;
  }

  public void setKeys(Integer keys) {
    this.keys = keys;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RelayGrantStatus)) {
      return false;
    }
    RelayGrantStatus s = (RelayGrantStatus) o;
    return Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(matchedRelays, s.matchedRelays)
        && Objects.equals(keys, s.keys)
        && Objects.equals(conditions, s.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, matchedRelays, keys, conditions);
  }
}
