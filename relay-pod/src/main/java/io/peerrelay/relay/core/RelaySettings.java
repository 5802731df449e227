package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the relay core needs from configuration; replaced as a whole on reload.
 *
 * @param advertisedEndpoints addresses clients bind to, in configured order (at most 16 are sent)
 * @param allowedClientKeys disco keys that may allocate on this relay (the grants)
 * @param bindLifetime how long an allocation may stay not fully bound (Tailscale: 30 s)
 * @param steadyStateLifetime how long a bound session lives without traffic from a leg (5 min)
 * @param gcInterval how often expired sessions are collected
 * @param maxSessions hard cap on live sessions
 * @param maxSessionsPerClientKey cap on the live sessions in which one disco key is a leg, so one
 *     key cannot fill the table
 * @param handshakesPerSecondPerSource token refill rate of each leg's handshake budget and of each
 *     granted key's allocation budget (the name is the config key's; no budget is per address)
 * @param handshakeBurstPerSource bucket size of those budgets
 */
public record RelaySettings(
    List<InetSocketAddress> advertisedEndpoints,
    Set<DiscoPublicKey> allowedClientKeys,
    Duration bindLifetime,
    Duration steadyStateLifetime,
    Duration gcInterval,
    int maxSessions,
    int maxSessionsPerClientKey,
    double handshakesPerSecondPerSource,
    int handshakeBurstPerSource) {

  /**
   * Default share of one key: a device relaying to a thousand peers at once is far beyond any
   * tailnet seen, and a hundred such keys still fit the default total.
   */
  public static final int DEFAULT_SESSIONS_PER_CLIENT_KEY = 1000;

  /** Copies the collections so a caller cannot change a live configuration behind our back. */
  public RelaySettings {
    advertisedEndpoints = List.copyOf(advertisedEndpoints);
    allowedClientKeys = Set.copyOf(allowedClientKeys);
    if (bindLifetime.isNegative() || bindLifetime.isZero()) {
      // A zero bind lifetime makes every client handshake time out at once (PROTOCOL.md §2).
      throw new IllegalArgumentException("bindLifetime must be positive");
    }
    if (steadyStateLifetime.isNegative() || steadyStateLifetime.isZero()) {
      throw new IllegalArgumentException("steadyStateLifetime must be positive");
    }
    if (gcInterval.isNegative() || gcInterval.isZero()) {
      throw new IllegalArgumentException("gcInterval must be positive");
    }
    if (maxSessions < 1) {
      throw new IllegalArgumentException("maxSessions must be at least 1");
    }
    if (maxSessionsPerClientKey < 1) {
      throw new IllegalArgumentException("maxSessionsPerClientKey must be at least 1");
    }
    if (!(handshakesPerSecondPerSource > 0) || handshakeBurstPerSource < 1) {
      throw new IllegalArgumentException("handshake rate and burst must be positive");
    }
  }

  /** Tailscale's lifetimes, our default limits, no endpoints and no granted keys. */
  public static RelaySettings defaults() {
    return new RelaySettings(
        List.of(),
        Set.of(),
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        100_000,
        DEFAULT_SESSIONS_PER_CLIENT_KEY,
        20,
        40);
  }

  /** A copy with other advertised endpoints. */
  public RelaySettings withAdvertisedEndpoints(List<InetSocketAddress> endpoints) {
    return new RelaySettings(
        endpoints,
        allowedClientKeys,
        bindLifetime,
        steadyStateLifetime,
        gcInterval,
        maxSessions,
        maxSessionsPerClientKey,
        handshakesPerSecondPerSource,
        handshakeBurstPerSource);
  }

  /** A copy with other granted keys. */
  public RelaySettings withAllowedClientKeys(Set<DiscoPublicKey> keys) {
    return new RelaySettings(
        advertisedEndpoints,
        keys,
        bindLifetime,
        steadyStateLifetime,
        gcInterval,
        maxSessions,
        maxSessionsPerClientKey,
        handshakesPerSecondPerSource,
        handshakeBurstPerSource);
  }

  /** A copy with other lifetimes. */
  public RelaySettings withLifetimes(Duration bind, Duration steadyState, Duration gc) {
    return new RelaySettings(
        advertisedEndpoints,
        allowedClientKeys,
        bind,
        steadyState,
        gc,
        maxSessions,
        maxSessionsPerClientKey,
        handshakesPerSecondPerSource,
        handshakeBurstPerSource);
  }

  /** A copy with other limits. */
  public RelaySettings withLimits(int sessions, double perSecond, int burst) {
    return new RelaySettings(
        advertisedEndpoints,
        allowedClientKeys,
        bindLifetime,
        steadyStateLifetime,
        gcInterval,
        sessions,
        maxSessionsPerClientKey,
        perSecond,
        burst);
  }

  /** A copy with another per-key session cap. */
  public RelaySettings withMaxSessionsPerClientKey(int perKey) {
    return new RelaySettings(
        advertisedEndpoints,
        allowedClientKeys,
        bindLifetime,
        steadyStateLifetime,
        gcInterval,
        maxSessions,
        perKey,
        handshakesPerSecondPerSource,
        handshakeBurstPerSource);
  }
}
