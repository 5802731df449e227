package io.peerrelay.relay.config;

import java.time.Duration;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them and {@code
 * time.Duration.String} prints them ({@code 30s}, {@code 5m0s}, {@code 250ms}, {@code 1m30s}).
 *
 * <p>The operator (and every Tailscale user) already writes durations this way, so the relay config
 * uses the same syntax instead of ISO-8601's {@code PT30S}.
 */
public final class GoDuration {
  private static final long NANOS_PER_MICRO = 1_000L;
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private GoDuration() {}

  /**
   * Parses a Go duration: an optional sign, then one or more decimal numbers (fractions allowed),
   * each with a unit of {@code ns}, {@code us} ({@code µs}), {@code ms}, {@code s}, {@code m} or
   * {@code h}. A bare {@code 0} is allowed, as in Go.
   *
   * @throws IllegalArgumentException with a message that says what to write instead
   */
  public static Duration parse(String text) {
    try {
      return parseChecked(text);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration");
    }
  }

  private static Duration parseChecked(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty duration (write e.g. 30s, 5m, 250ms, 1m30s)");
    }
    String s = text.strip();
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw notADuration(text);
    }
    long totalNanos = 0;
    while (i < s.length()) {
      long[] term = term(s, i, text);
      totalNanos = Math.addExact(totalNanos, term[0]);
      i = (int) term[1];
    }
    return Duration.ofNanos(negative ? -totalNanos : totalNanos);
  }

  /**
   * One {@code <number><unit>} term of {@code s} from index {@code i}: its nanoseconds and the
   * index after it. Accumulates in BigDecimal-free arithmetic, whole part times unit plus the
   * scaled fraction, the same way Go avoids float rounding (fractions below 1 ns are dropped).
   */
  private static long[] term(String s, int i, String text) {
    int numberStart = i;
    long whole = 0;
    boolean sawDigit = false;
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      whole = Math.addExact(Math.multiplyExact(whole, 10), s.charAt(i) - '0');
      sawDigit = true;
      i++;
    }
    long fraction = 0;
    long fractionScale = 1;
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        if (fractionScale < 1_000_000_000_000_000L) {
          fraction = fraction * 10 + (s.charAt(i) - '0');
          fractionScale *= 10;
        }
        sawDigit = true;
        i++;
      }
    }
    if (!sawDigit) {
      throw notADuration(text);
    }
    int unitStart = i;
    while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
      i++;
    }
    String unit = s.substring(unitStart, i);
    if (unit.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" has no unit (write " + s.substring(numberStart, i) + "s)");
    }
    long unitNanos = unitNanos(unit, text);
    long part =
        Math.addExact(Math.multiplyExact(whole, unitNanos), fraction * unitNanos / fractionScale);
    return new long[] {part, i};
  }

  /** Prints a duration exactly as Go's {@code time.Duration.String} does ({@code 5m0s}). */
  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    if (nanos < 0) {
      out.append('-');
    }
    long u = Math.abs(nanos);
    if (u < NANOS_PER_SECOND) {
      if (u < NANOS_PER_MICRO) {
        return out.append(u).append("ns").toString();
      }
      if (u < NANOS_PER_MILLI) {
        return appendWithFraction(out, u, NANOS_PER_MICRO).append("µs").toString();
      }
      return appendWithFraction(out, u, NANOS_PER_MILLI).append("ms").toString();
    }
    long seconds = u / NANOS_PER_SECOND;
    long hours = seconds / 3600;
    long minutes = seconds / 60 % 60;
    if (hours > 0) {
      out.append(hours).append('h').append(minutes).append('m');
    } else if (minutes > 0) {
      out.append(minutes).append('m');
    }
    long secondsAndFraction = u - (hours * 3600 + minutes * 60) * NANOS_PER_SECOND;
    return appendWithFraction(out, secondsAndFraction, NANOS_PER_SECOND).append('s').toString();
  }

  private static StringBuilder appendWithFraction(StringBuilder out, long value, long unit) {
    out.append(value / unit);
    long rest = value % unit;
    if (rest != 0) {
      String digits = Long.toString(unit + rest).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      out.append('.').append(digits, 0, end);
    }
    return out;
  }

  private static long unitNanos(String unit, String text) {
    switch (unit) {
      case "ns":
        return 1;
      case "us":
      case "µs": // U+00B5 micro sign, as Go accepts
      case "μs": // U+03BC Greek mu, as Go accepts
        return NANOS_PER_MICRO;
      case "ms":
        return NANOS_PER_MILLI;
      case "s":
        return NANOS_PER_SECOND;
      case "m":
        return 60 * NANOS_PER_SECOND;
      case "h":
        return 3600 * NANOS_PER_SECOND;
      default:
        throw new IllegalArgumentException(
            "\"" + text + "\" has an unknown unit \"" + unit + "\" (use ns, us, ms, s, m or h)");
    }
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException(
        "\"" + text + "\" is not a duration (write e.g. 30s, 5m, 250ms, 1m30s)");
  }
}
