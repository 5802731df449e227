package io.peerrelay.relay.config;

import java.util.List;

/** A relay config or key file that cannot be used; the message names each field and the fix. */
public final class InvalidConfigException extends Exception {
  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public InvalidConfigException(String problem) {
    this(List.of(problem));
  }

  /** Each problem as {@code field: what is wrong (what to write)}. */
  public List<String> problems() {
    return problems;
  }
}
