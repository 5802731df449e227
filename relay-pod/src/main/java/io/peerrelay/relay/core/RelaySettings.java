package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What the relay core needs from configuration; replaced as a whole on reload. The config file's
 * {@code RelayConfig} holds one of these and derives nothing twice: each value lives here once.
 *
 * @param advertisedEndpoints addresses clients bind to, in configured order (at most 16 are sent)
 * @param allowedClientKeys disco keys that may allocate on this relay (the grants)
 * @param lifetimes how long sessions live
 * @param limits caps and handshake budgets
 */
public record RelaySettings(
    List<InetSocketAddress> advertisedEndpoints,
    Set<DiscoPublicKey> allowedClientKeys,
    Lifetimes lifetimes,
    Limits limits) {

  /**
   * @param bind how long an allocation may stay not fully bound (Tailscale: 30 s)
   * @param steadyState how long a bound session lives without traffic from a leg (5 min)
   * @param gcInterval how often expired sessions are collected
   */
  public record Lifetimes(Duration bind, Duration steadyState, Duration gcInterval) {
    /** Tailscale's lifetimes. */
    public static final Lifetimes DEFAULTS =
        new Lifetimes(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(30));

    public Lifetimes {
      if (bind.isNegative() || bind.isZero()) {
        // A zero bind lifetime makes every client handshake time out at once (PROTOCOL.md §2).
        throw new IllegalArgumentException("bindLifetime must be positive");
      }
      if (steadyState.isNegative() || steadyState.isZero()) {
        throw new IllegalArgumentException("steadyStateLifetime must be positive");
      }
      if (gcInterval.isNegative() || gcInterval.isZero()) {
        throw new IllegalArgumentException("gcInterval must be positive");
      }
    }
  }

  /**
   * @param maxSessions hard cap on live sessions
   * @param maxSessionsPerClientKey cap on the live sessions in which one disco key is a leg, so one
   *     key cannot fill the table
   * @param handshakesPerSecondPerSource token refill rate of each leg's handshake budget and of
   *     each granted key's allocation budget (the name is the config key's; no budget is per
   *     address)
   * @param handshakeBurstPerSource bucket size of those budgets
   */
  public record Limits(
      int maxSessions,
      int maxSessionsPerClientKey,
      double handshakesPerSecondPerSource,
      int handshakeBurstPerSource) {
    /**
     * Our default limits. A device relaying to a thousand peers at once is far beyond any tailnet
     * seen, and a hundred such keys still fit the default total.
     */
    public static final Limits DEFAULTS = new Limits(100_000, 1000, 20, 40);

    public Limits {
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
  }

  /** Copies the collections so a caller cannot change a live configuration behind our back. */
  public RelaySettings {
    advertisedEndpoints = List.copyOf(advertisedEndpoints);
    allowedClientKeys = Set.copyOf(allowedClientKeys);
    java.util.Objects.requireNonNull(lifetimes, "lifetimes");
    java.util.Objects.requireNonNull(limits, "limits");
  }

  /** Tailscale's lifetimes, our default limits, no endpoints and no granted keys. */
  public static RelaySettings defaults() {
    return new RelaySettings(List.of(), Set.of(), Lifetimes.DEFAULTS, Limits.DEFAULTS);
  }

  public Duration bindLifetime() {
    return lifetimes.bind();
  }

  public Duration steadyStateLifetime() {
    return lifetimes.steadyState();
  }

  public Duration gcInterval() {
    return lifetimes.gcInterval();
  }

  public int maxSessions() {
    return limits.maxSessions();
  }

  public int maxSessionsPerClientKey() {
    return limits.maxSessionsPerClientKey();
  }

  public double handshakesPerSecondPerSource() {
    return limits.handshakesPerSecondPerSource();
  }

  public int handshakeBurstPerSource() {
    return limits.handshakeBurstPerSource();
  }

  /** A copy with other advertised endpoints. */
  public RelaySettings withAdvertisedEndpoints(List<InetSocketAddress> endpoints) {
    return new RelaySettings(endpoints, allowedClientKeys, lifetimes, limits);
  }

  /** A copy with other granted keys. */
  public RelaySettings withAllowedClientKeys(Set<DiscoPublicKey> keys) {
    return new RelaySettings(advertisedEndpoints, keys, lifetimes, limits);
  }

  /** A copy with other lifetimes. */
  public RelaySettings withLifetimes(Duration bind, Duration steadyState, Duration gc) {
    return new RelaySettings(
        advertisedEndpoints, allowedClientKeys, new Lifetimes(bind, steadyState, gc), limits);
  }

  /** A copy with other limits. */
  public RelaySettings withLimits(int sessions, double perSecond, int burst) {
    return new RelaySettings(
        advertisedEndpoints,
        allowedClientKeys,
        lifetimes,
        new Limits(sessions, limits.maxSessionsPerClientKey(), perSecond, burst));
  }

  /** A copy with another per-key session cap. */
  public RelaySettings withMaxSessionsPerClientKey(int perKey) {
    return new RelaySettings(
        advertisedEndpoints,
        allowedClientKeys,
        lifetimes,
        new Limits(
            limits.maxSessions(),
            perKey,
            limits.handshakesPerSecondPerSource(),
            limits.handshakeBurstPerSource()));
  }
}
