package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Who (src client keys) may allocate on which relays (dst selector). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RelayGrantSpec {

  @JsonPropertyDescription(
      "Client disco public keys allowed to allocate sessions: each entry lists keys inline"
          + " (clientKeys) or names a Secret holding them (secretRef).")
  @Required
  @Size(min = 1, max = 256)
  private List<GrantSource> src = new ArrayList<>();

  @JsonPropertyDescription("Which PeerRelays of this namespace the keys are granted on.")
  @Required
  private GrantDestination dst = new GrantDestination();

  public List<GrantSource> getSrc() {
    return src;
  }

  public void setSrc(List<GrantSource> src) {
    this.src = src;
  }

  public GrantDestination getDst() {
    return dst;
  }

  public void setDst(GrantDestination dst) {
    this.dst = dst;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayGrantSpec
        && Objects.equals(src, ((RelayGrantSpec) o).src)
        && Objects.equals(dst, ((RelayGrantSpec) o).dst);
  }

  @Override
  public int hashCode() {
    return Objects.hash(src, dst);
  }
}
