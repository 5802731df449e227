package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A key inside a Secret of the grant's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeySecretRef {

  @JsonPropertyDescription("Secret name (same namespace as the RelayGrant).")
  @Required
  private String name;

  @JsonPropertyDescription("Data key inside the Secret.")
  @Required
  private String key;

  public KeySecretRef() {}

  public KeySecretRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeySecretRef
        && Objects.equals(name, ((KeySecretRef) o).name)
        && Objects.equals(key, ((KeySecretRef) o).key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }
}
