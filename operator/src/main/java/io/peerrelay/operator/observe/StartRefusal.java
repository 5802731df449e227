package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A relay that refused its config at start (no last good one to keep) exits non-zero after writing
 * one line {@code <field>: <error>} to its termination-message file; the kubelet puts it in the
 * container's terminated state. This reads it back.
 *
 * @param field the refused YAML field ({@code ""} when the file did not parse)
 * @param error the relay's message
 */
public record StartRefusal(String field, String error) {

  /**
   * One line, a field path (letters, digits, {@code . _ - [ ]}) or nothing, then {@code ": "}: the
   * container uses {@code FallbackToLogsOnError}, so a relay that died for another reason leaves
   * its log tail here, which must not read as a config refusal.
   */
  private static final Pattern LINE = Pattern.compile("([A-Za-z][A-Za-z0-9_.\\[\\]-]*)?: (.+)");

  /** Status stays small whatever the container wrote. */
  private static final int MAX_ERROR = 512;

  /**
   * The refusal the {@code container} of {@code pod} reported when it last exited non-zero, while
   * it is not ready; empty otherwise.
   */
  public static Optional<StartRefusal> of(Pod pod, String container) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
      if (!container.equals(cs.getName()) || Boolean.TRUE.equals(cs.getReady())) {
        continue;
      }
      Optional<StartRefusal> now = parse(terminated(cs.getState()));
      return now.isPresent() ? now : parse(terminated(cs.getLastState()));
    }
    return Optional.empty();
  }

  private static ContainerStateTerminated terminated(ContainerState state) {
    return state == null ? null : state.getTerminated();
  }

  /** The refusal in a terminated state's message, if it exited non-zero with one. */
  static Optional<StartRefusal> parse(ContainerStateTerminated t) {
    if (t == null || t.getMessage() == null || t.getExitCode() == null || t.getExitCode() == 0) {
      return Optional.empty();
    }
    String message = t.getMessage().strip();
    Matcher m = LINE.matcher(message);
    if (message.contains("\n") || !m.matches()) {
      return Optional.empty();
    }
    String error = m.group(2).strip();
    if (error.length() > MAX_ERROR) {
      error = error.substring(0, MAX_ERROR) + "…";
    }
    return Optional.of(new StartRefusal(m.group(1) == null ? "" : m.group(1), error));
  }
}
