package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1} ns")
  @CsvSource({
    "30s, 30000000000",
    "5m, 300000000000",
    "250ms, 250000000",
    "1m30s, 90000000000",
    "1h, 3600000000000",
    "1.5s, 1500000000",
    ".5s, 500000000",
    "1.s, 1000000000",
    "2h45m, 9900000000000",
    "10us, 10000",
    "10µs, 10000",
    "10μs, 10000",
    "7ns, 7",
    "0, 0",
    "+5s, 5000000000",
    "-1.5h, -5400000000000",
    "1.0000000001s, 1000000000",
  })
  void readsWhatGoReads(String text, long nanos) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
  }

  @ParameterizedTest(name = "{0} ns prints {1}")
  @CsvSource({
    "0, 0s",
    "1, 1ns",
    "1100, 1.1µs",
    "2200000, 2.2ms",
    "250000000, 250ms",
    "1000000000, 1s",
    "30000000000, 30s",
    "90000000000, 1m30s",
    "300000000000, 5m0s",
    "3600000000000, 1h0m0s",
    "3723500000000, 1h2m3.5s",
    "-1500000000, -1.5s",
  })
  void printsWhatGoPrints(long nanos, String text) {
    assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
  }

  @ParameterizedTest(name = "{0} round-trips")
  @CsvSource({"30s", "5m0s", "250ms", "1m30s", "1h0m0s", "1.5µs"})
  void printedDurationsParseBack(String text) {
    assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
  }

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "30|\"30\" has no unit (write 30s)",
        "1.5|\"1.5\" has no unit (write 1.5s)",
        "5m30|\"5m30\" has no unit (write 30s)",
        "30sec|\"30sec\" has an unknown unit \"sec\" (use ns, us, ms, s, m or h)",
        "thirty|\"thirty\" is not a duration (write e.g. 30s, 5m, 250ms, 1m30s)",
        "-|\"-\" is not a duration (write e.g. 30s, 5m, 250ms, 1m30s)",
        "s|\"s\" is not a duration (write e.g. 30s, 5m, 250ms, 1m30s)",
        "PT30S|\"PT30S\" is not a duration (write e.g. 30s, 5m, 250ms, 1m30s)",
        "99999999999999999h|\"99999999999999999h\" is too long a duration",
      })
  void rejectsWithTheFix(String text, String message) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
