package io.peerrelay.relay.config;

import java.time.Instant;

/**
 * What {@code GET /config} reports: the file in force and, when the newest file seen was refused,
 * that refusal (null once a later file is applied).
 */
public record ConfigStatus(Applied applied, Rejected rejected) {
  /** The config in force: the SHA-256 of its bytes and when it took effect. */
  public record Applied(String sha256, Instant appliedAt) {}

  /** The newest file seen, refused: its SHA-256, the field and message, and when it was seen. */
  public record Rejected(String sha256, String field, String error, Instant seenAt) {}
}
