package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * The Secret key holding a tailnet auth key (the Secret is the user's, in the relay's namespace).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TailnetAuthKeyRef {

  @JsonPropertyDescription("Secret name (same namespace as the PeerRelay).")
  @Required
  private String name;

  @JsonPropertyDescription("Data key inside the Secret. Default authkey.")
  @Default(Tailnet.DEFAULT_AUTH_KEY)
  private String key = Tailnet.DEFAULT_AUTH_KEY;

  public TailnetAuthKeyRef() {}

  public TailnetAuthKeyRef(String name, String key) {
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
    return o instanceof TailnetAuthKeyRef r
        && Objects.equals(name, r.name)
        && Objects.equals(key, r.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }
}
