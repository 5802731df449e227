package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** One source of granted client keys: inline keys or a Secret reference (exactly one). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.clientKeys) != has(self.secretRef)",
    message = "spec.src[]: give exactly one of clientKeys or secretRef in each entry")
public class GrantSource {

  /** The text form of a disco public key. */
  public static final String CLIENT_KEY_PATTERN = "^discokey:[0-9a-f]{64}$";

  @JsonPropertyDescription("Client disco public keys, each discokey:<64 lowercase hex digits>.")
  @Size(max = 4096)
  private List<@io.fabric8.generator.annotation.Pattern(CLIENT_KEY_PATTERN) String> clientKeys;

  @JsonPropertyDescription(
      "A key of a Secret in this namespace whose value lists discokey:<hex> keys separated by"
          + " whitespace, newlines or commas.")
  private KeySecretRef secretRef;

  public GrantSource() {}

  /** A source of inline keys. */
  public static GrantSource ofClientKeys(List<String> keys) {
    GrantSource s = new GrantSource();
    s.setClientKeys(keys);
    return s;
  }

  /** A source naming a Secret key. */
  public static GrantSource ofSecret(String name, String key) {
    GrantSource s = new GrantSource();
    s.setSecretRef(new KeySecretRef(name, key));
    return s;
  }

  public List<String> getClientKeys() {
    return clientKeys;
  }

  public void setClientKeys(List<String> clientKeys) {
    this.clientKeys = clientKeys;
  }

  public KeySecretRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(KeySecretRef secretRef) {
    this.secretRef = secretRef;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrantSource
        && Objects.equals(clientKeys, ((GrantSource) o).clientKeys)
        && Objects.equals(secretRef, ((GrantSource) o).secretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientKeys, secretRef);
  }
}
