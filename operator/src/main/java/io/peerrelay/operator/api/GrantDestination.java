package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Objects;

/** The PeerRelays a grant applies to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GrantDestination {

  @JsonPropertyDescription(
      "Label selector over PeerRelays in this namespace. An empty selector ({}) selects all.")
  @Required
  private LabelSelector selector;

  public LabelSelector getSelector() {
    return selector;
  }

  public void setSelector(LabelSelector selector) {
    this.selector = selector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrantDestination
        && Objects.equals(selector, ((GrantDestination) o).selector);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(selector);
  }
}
