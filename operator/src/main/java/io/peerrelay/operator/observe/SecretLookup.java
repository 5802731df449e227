package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Map;
import java.util.function.Function;

/**
 * A user's Secret by name in the namespace at hand (a grant's key Secret, a tailnet auth-key
 * Secret), and why one is absent. The operator caches only Secrets labelled {@link #WATCH_LABEL}
 * {@code =true}, so "not in the cache" may mean "exists without the label": {@link #cached} asks
 * the API server once to tell the two apart and names the fix.
 */
@FunctionalInterface
public interface SecretLookup {

  /** The label a Secret users reference must carry for the operator to see it. */
  String WATCH_LABEL = "peerrelay.io/watch";

  /** The Secret named {@code name}, or null. */
  Secret get(String name);

  /** Why {@code name} is absent from {@link #get}, naming the Secret and the fix. */
  default String absence(String name) {
    return "Secret " + name + " not found";
  }

  /**
   * {@code cache} first; for a name it lacks, {@code server} (a GET, may throw) says whether the
   * Secret exists without the label.
   */
  static SecretLookup cached(
      Function<String, Secret> cache, Function<String, Secret> server, String namespace) {
    return new SecretLookup() {
      @Override
      public Secret get(String name) {
        return cache.apply(name);
      }

      @Override
      public String absence(String name) {
        Secret s;
        try {
          s = server.apply(name);
        } catch (RuntimeException e) {
          return "Secret " + name + " not found in the operator's cache";
        }
        if (s == null) {
          return "Secret " + name + " not found";
        }
        Map<String, String> labels = s.getMetadata().getLabels();
        if (labels == null || !"true".equals(labels.get(WATCH_LABEL))) {
          return "Secret "
              + name
              + " lacks label "
              + WATCH_LABEL
              + "=true (the operator sees only Secrets carrying it): kubectl label secret -n "
              + namespace
              + " "
              + name
              + " "
              + WATCH_LABEL
              + "=true";
        }
        return "Secret " + name + " not in the operator's cache yet";
      }
    };
  }
}
