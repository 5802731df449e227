package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;

/** Small fix-ups JOSDK needs on a builder's output before applying it. */
final class ChildMetadata {

  private ChildMetadata() {}

  /**
   * Gives the object a mutable annotation map: builders leave it null when there is nothing to
   * annotate (so the applied object stays minimal), but JOSDK adds its own bookkeeping annotations
   * to the desired object before applying it.
   */
  static <T extends HasMetadata> T withAnnotationMap(T child) {
    if (child.getMetadata().getAnnotations() == null) {
      child.getMetadata().setAnnotations(new LinkedHashMap<>());
    }
    return child;
  }
}
