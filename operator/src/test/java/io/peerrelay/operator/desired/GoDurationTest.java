package io.peerrelay.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "10s,PT10S",
    "5m,PT5M",
    "1h30m,PT1H30M",
    "500ms,PT0.5S",
    "1.5s,PT1.5S",
    "250us,PT0.00025S",
    "250µs,PT0.00025S",
    "7ns,PT0.000000007S",
    "0s,PT0S"
  })
  void parsesGoDurations(String text, String iso) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "s", "10 s", "-1s", "1d", "1s ", "1m-5s", "99999999999h"})
  void rejectsWhatGoWouldNotAcceptOrCannotFit(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
