package io.peerrelay.operator.desired;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses Go-style durations ({@code 10s}, {@code 1m30s}, {@code 500ms}) as the CRD allows. */
public final class GoDuration {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  /**
   * The duration of {@code text}.
   *
   * @throws IllegalArgumentException when the text is not a sequence of number+unit parts
   */
  public static Duration parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty duration");
    }
    Matcher m = PART.matcher(text);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unitNanos(m.group(2))));
      end = m.end();
    }
    if (end != text.length()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a Go duration such as 10s, 1m30s or 500ms");
    }
    try {
      return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration", e);
    }
  }

  private static BigDecimal unitNanos(String unit) {
    switch (unit) {
      case "ns":
        return BigDecimal.ONE;
      case "us":
      case "µs":
        return BigDecimal.valueOf(1_000L);
      case "ms":
        return BigDecimal.valueOf(1_000_000L);
      case "s":
        return BigDecimal.valueOf(1_000_000_000L);
      case "m":
        return BigDecimal.valueOf(60_000_000_000L);
      default:
        return BigDecimal.valueOf(3_600_000_000_000L);
    }
  }
}
