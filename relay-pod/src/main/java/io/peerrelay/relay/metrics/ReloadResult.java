package io.peerrelay.relay.metrics;

import java.util.Locale;

/**
 * How one re-read of the config or key file ended: the {@code result} label of the reload counter.
 */
public enum ReloadResult {
  /** A changed, valid config is now in force. */
  OK,
  /** The file was rejected; the last good config stays in force. */
  ERROR,
  /** The change (key, port, key path) takes effect only after a restart; nothing was applied. */
  RESTART_REQUIRED;

  /** The Prometheus label value. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
