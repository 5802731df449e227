package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * What a failed API call means for a PeerRelay: the server refusing an object the spec produced
 * (the user's to fix: {@code ConfigInvalid}) or a passing failure that a retry with backoff cures,
 * and a short message naming the child and the server's causes.
 */
final class ApiFailure {

  /** "Invalid value: <value>: " before a cause's message: the value is in the spec already. */
  private static final Pattern INVALID_VALUE =
      Pattern.compile("^Invalid value: (\"(?:[^\"\\\\]|\\\\.)*\"|[^:]*): ");

  /** Pod template field prefix → the PeerRelay field that sets it, for the fix hint. */
  private static final Map<String, String> SPEC_FIELDS =
      Map.of(
          "spec.template.spec.containers[0].resources", "spec.resources",
          "spec.template.spec.containers[0].image", "spec.image",
          "spec.template.spec.nodeSelector", "spec.nodeSelector",
          "spec.template.spec.tolerations", "spec.tolerations",
          "spec.template.spec.priorityClassName", "spec.priorityClassName",
          "spec.template.spec.imagePullSecrets", "spec.imagePullSecrets",
          "spec.template.metadata.annotations", "spec.podAnnotations",
          "spec.template.metadata.labels", "spec.podLabels");

  private ApiFailure() {}

  /**
   * True when retrying may succeed: no answer at all (connection refused, timeout), or an answer
   * that is not about the object (conflict, throttling, server errors, RBAC or quota, which an
   * admin can fix without touching the spec). Only 400 and 422, the server refusing the object
   * itself, and errors raised outside any API call (the spec could not be turned into objects) are
   * not.
   */
  static boolean isTransient(Throwable t) {
    KubernetesClientException api = apiException(t);
    if (api != null && api.getCode() > 0) {
      return api.getCode() != 400 && api.getCode() != 422;
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      // Interrupted: the operator is stopping (leadership lost); the next leader tries again.
      if (c instanceof IOException
          || c instanceof TimeoutException
          || c instanceof InterruptedException) {
        return true;
      }
    }
    // Code 0 without an I/O cause still means the request got no HTTP answer.
    return api != null;
  }

  /** True for a 409: a conflict, or an object that already exists. */
  static boolean isConflict(Throwable t) {
    KubernetesClientException api = apiException(t);
    return api != null && api.getCode() == 409;
  }

  /**
   * One short line: {@code <Kind> <name>: <field>: <cause>; ...}, then the PeerRelay field to fix
   * when the causes name one. {@code child} names the child when the server's answer does not.
   */
  static String describe(String child, Throwable t) {
    KubernetesClientException api = apiException(t);
    Status status = api == null ? null : api.getStatus();
    StatusDetails details = status == null ? null : status.getDetails();
    String who = child;
    if (details != null && details.getKind() != null && details.getName() != null) {
      who = kindName(details.getKind()) + " " + details.getName();
    }
    List<String> causes = new ArrayList<>();
    Set<String> fixes = new LinkedHashSet<>();
    if (details != null && details.getCauses() != null) {
      for (StatusCause c : details.getCauses()) {
        String message =
            c.getMessage() == null ? "" : INVALID_VALUE.matcher(c.getMessage()).replaceFirst("");
        causes.add(c.getField() == null ? message : c.getField() + ": " + message);
        specField(c.getField()).ifPresent(fixes::add);
      }
    }
    String what;
    if (!causes.isEmpty()) {
      what = String.join("; ", causes);
    } else if (status != null && status.getMessage() != null) {
      what = status.getMessage();
    } else if (api != null && api.getCode() > 0) {
      what = "HTTP " + api.getCode();
    } else {
      Throwable root = root(t);
      what = root.getMessage() == null ? root.toString() : root.getMessage();
    }
    String line = (who == null ? "" : who + ": ") + what;
    return fixes.isEmpty() ? line : line + " (fix " + String.join(", ", fixes) + ")";
  }

  private static Optional<String> specField(String field) {
    if (field == null) {
      return Optional.empty();
    }
    return SPEC_FIELDS.entrySet().stream()
        .filter(e -> field.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst();
  }

  /** The server reports kinds as lower-case plural resources sometimes ("statefulsets"). */
  private static String kindName(String kind) {
    return switch (kind) {
      case "statefulsets" -> "StatefulSet";
      case "services" -> "Service";
      case "configmaps" -> "ConfigMap";
      case "secrets" -> "Secret";
      case "poddisruptionbudgets" -> "PodDisruptionBudget";
      default -> kind;
    };
  }

  /** The first API exception in the chain that carries an HTTP answer, else the first at all. */
  private static KubernetesClientException apiException(Throwable t) {
    KubernetesClientException first = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof KubernetesClientException k) {
        if (k.getCode() > 0) {
          return k;
        }
        first = first == null ? k : first;
      }
    }
    return first;
  }

  private static Throwable root(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }
}
