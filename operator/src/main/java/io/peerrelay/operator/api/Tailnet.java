package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Tailnet mode: every replica joins a tailnet as a node (Tailscale's service or a Headscale
 * server), so stock Tailscale clients use it as a peer relay under the tailnet policy (a grant of
 * {@code tailscale.com/cap/relay} on the relay's tags).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.tags) || self.tags.all(t, t.matches('" + Tailnet.TAG_PATTERN + "'))",
    message =
        "spec.tailnet.tags entries must be tag:<name> with lowercase letters, digits and '-'"
            + " (e.g. tag:peer-relay): fix or remove the entry",
    fieldPath = ".tags")
public class Tailnet {

  /** Tailscale's own coordination server, used when {@code controlUrl} is empty. */
  public static final String DEFAULT_CONTROL_URL = "https://controlplane.tailscale.com";

  /** The data key read from the auth-key Secret when {@code authKeySecretRef.key} is empty. */
  public static final String DEFAULT_AUTH_KEY = "authkey";

  /** A tag as Tailscale's ACLs name it: {@code tag:} and a lowercase DNS-ish name. */
  public static final String TAG_PATTERN = "^tag:[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

  /** A DNS label: what a node's hostname prefix must be (the replica index is appended). */
  public static final String HOSTNAME_PREFIX_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  @JsonPropertyDescription(
      "URL of the coordination server: Tailscale's (the default,"
          + " https://controlplane.tailscale.com) or a Headscale server's.")
  @Default(DEFAULT_CONTROL_URL)
  @Pattern("^https?://[^\\s/]+(/.*)?$")
  private String controlUrl = DEFAULT_CONTROL_URL;

  @JsonPropertyDescription(
      "Secret (in this namespace) holding the auth key the replicas register with. A reusable,"
          + " pre-authorized auth key carrying the tags below is the usual choice. Needed only"
          + " until a replica has registered (its node state is kept in the Secret"
          + " <name>-<index>-tailnet).")
  @Required
  private TailnetAuthKeyRef authKeySecretRef;

  @JsonPropertyDescription(
      "ACL tags the nodes advertise (tag:<name>); the tailnet policy grants"
          + " tailscale.com/cap/relay on them. The auth key must be allowed to use them.")
  // Bounded items keep the CEL rule's cost estimate within the API server's budget.
  @Size(max = 32)
  private List<@Size(max = 64) String> tags = new ArrayList<>();

  @JsonPropertyDescription(
      "Hostname prefix of the nodes: replica i registers as <hostnamePrefix>-<i>. When empty the"
          + " PeerRelay's name.")
  @Pattern(HOSTNAME_PREFIX_PATTERN)
  @Size(max = 59)
  private String hostnamePrefix;

  public String getControlUrl() {
    return controlUrl;
  }

  public void setControlUrl(String controlUrl) {
    this.controlUrl = controlUrl;
  }

  public TailnetAuthKeyRef getAuthKeySecretRef() {
    return authKeySecretRef;
  }

  public void setAuthKeySecretRef(TailnetAuthKeyRef authKeySecretRef) {
    this.authKeySecretRef = authKeySecretRef;
  }

  public List<String> getTags() {
    return tags;
  }

  public void setTags(List<String> tags) {
    this.tags = tags;
  }

  public String getHostnamePrefix() {
    return hostnamePrefix;
  }

  public void setHostnamePrefix(String hostnamePrefix) {
    this.hostnamePrefix = hostnamePrefix;
  }

  // Defaults (not bean getters: the stored object stays as written).

  /** The control URL, {@link #DEFAULT_CONTROL_URL} when empty. */
  public String controlUrlOrDefault() {
    return controlUrl == null || controlUrl.isEmpty() ? DEFAULT_CONTROL_URL : controlUrl;
  }

  /** The hostname prefix, {@code relayName} when empty. */
  public String hostnamePrefixOr(String relayName) {
    return hostnamePrefix == null || hostnamePrefix.isEmpty() ? relayName : hostnamePrefix;
  }

  /** The auth-key Secret's name, or null when the reference is missing. */
  public String authKeySecretName() {
    return authKeySecretRef == null ? null : authKeySecretRef.getName();
  }

  /** The data key holding the auth key, {@link #DEFAULT_AUTH_KEY} when empty. */
  public String authKeyOrDefault() {
    String key = authKeySecretRef == null ? null : authKeySecretRef.getKey();
    return key == null || key.isEmpty() ? DEFAULT_AUTH_KEY : key;
  }

  /** The tags, never null. */
  public List<String> tagsOrEmpty() {
    return tags == null ? List.of() : tags;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tailnet t
        && Objects.equals(controlUrl, t.controlUrl)
        && Objects.equals(authKeySecretRef, t.authKeySecretRef)
        && Objects.equals(tags, t.tags)
        && Objects.equals(hostnamePrefix, t.hostnamePrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(controlUrl, authKeySecretRef, tags, hostnamePrefix);
  }
}
