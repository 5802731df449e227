package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Whether a RelayGrant's metav1 LabelSelector selects a PeerRelay's labels, with the API server's
 * semantics: an empty selector selects everything, a missing one selects nothing.
 */
public final class ObservedSelection {

  private ObservedSelection() {}

  /** True when {@code selector} selects an object labelled {@code labels}. */
  public static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    Map<String, String> have = labels == null ? Map.of() : labels;
    Map<String, String> match = selector.getMatchLabels();
    if (match != null) {
      for (var e : match.entrySet()) {
        if (!e.getValue().equals(have.get(e.getKey()))) {
          return false;
        }
      }
    }
    List<LabelSelectorRequirement> exprs = selector.getMatchExpressions();
    if (exprs != null) {
      for (LabelSelectorRequirement r : exprs) {
        if (!meets(r, have)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean meets(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      // The API server rejects other operators; an unknown one selects nothing (deny).
      default -> false;
    };
  }
}
