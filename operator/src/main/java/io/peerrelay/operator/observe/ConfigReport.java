package io.peerrelay.operator.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What a relay's side port answers on {@code GET /config}: the relay.yaml in force, the newest one
 * it refused (if the newest file it saw was refused), and the disco key it serves. Unknown fields
 * are ignored, so the relay may add some. The operator compares the hashes with the SHA-256 of the
 * relay.yaml it wrote into the replica's ConfigMap.
 *
 * @param applied the config in force, or null
 * @param rejected the newest file the relay refused while it keeps the last good one, or null
 * @param serverDiscoKey {@code discokey:<hex>} the relay serves (derived from its private key)
 * @param notAnswering why the operator got no usable answer, or null when it got one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConfigReport(
    Applied applied, Rejected rejected, String serverDiscoKey, String notAnswering) {

  /** Path of the relay's config state on its side port. */
  public static final String PATH = "/config";

  /**
   * The config in force.
   *
   * @param sha256 lower-case hex SHA-256 of the relay.yaml bytes
   * @param appliedAt RFC 3339 time
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Applied(String sha256, String appliedAt) {}

  /**
   * A refused file.
   *
   * @param sha256 lower-case hex SHA-256 of the refused bytes
   * @param field the YAML field refused, {@code ""} when the file did not parse
   * @param error the relay's one-line message, naming the field and the fix
   * @param seenAt RFC 3339 time
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rejected(String sha256, String field, String error, String seenAt) {}

  /** The report for a side port that gave no usable answer, and why. */
  public static ConfigReport notAnswering(String why) {
    return new ConfigReport(null, null, null, why);
  }

  /** Whether the relay answered. */
  public boolean answered() {
    return notAnswering == null;
  }

  /** The serving key if the relay answered with a well-formed one, else null. */
  public String servedKey() {
    return answered() && DiscoKeys.isCanonicalPublicKey(serverDiscoKey) ? serverDiscoKey : null;
  }

  /** Asks each replica's side port {@code GET /config}. */
  public static Map<Integer, ConfigReport> probe(Map<Integer, Endpoint> sidePorts) {
    return PROBE.probe(sidePorts);
  }

  private static final SidePortProbe<ConfigReport> PROBE =
      new SidePortProbe<>(PATH, ConfigReport.class, ConfigReport::notAnswering, "config JSON");
}
