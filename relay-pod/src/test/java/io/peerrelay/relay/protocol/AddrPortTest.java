package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's {@code netip.AddrPort} text form, which the session listing and the CLI use. */
class AddrPortTest {
  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:40000, 127.0.0.1:40000",
    "[::1]:7, [::1]:7",
    "[2001:db8:0:0:0:0:0:1]:7, [2001:db8::1]:7",
    "[2001:0:0:1:0:0:0:1]:9, [2001:0:0:1::1]:9",
    "[2001:0:0:1:0:0:1:1]:9, [2001::1:0:0:1:1]:9",
    "[fe80:0:0:0:1:0:0:0]:1, [fe80::1:0:0:0]:1",
    "[1:2:3:4:5:6:7:8]:2, [1:2:3:4:5:6:7:8]:2",
    "[1:0:3:4:5:6:7:8]:2, [1:0:3:4:5:6:7:8]:2",
    "[::]:0, [::]:0"
  })
  void parsesAndFormatsAsGoDoes(String in, String out) {
    assertThat(AddrPort.format(AddrPort.parse(in))).isEqualTo(out);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "127.0.0.1", "example.com:80", "[::1]", "::1:80", "1.2.3.4:99999"})
  void rejectsWhatIsNotALiteralIpPort(String in) {
    assertThatThrownBy(() -> AddrPort.parse(in)).isInstanceOf(IllegalArgumentException.class);
  }
}
