package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointAddressTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "192.0.2.10:40000, 192.0.2.10:40000",
    "  10.0.0.1:1 , 10.0.0.1:1",
    "[2001:db8::10]:40000, [2001:db8::10]:40000",
    "[2001:DB8:0:0:0:0:0:10]:40000, [2001:db8::10]:40000",
    "[::1]:65535, [::1]:65535",
    "[2001:db8:0:0:1:0:0:1]:5, [2001:db8::1:0:0:1]:5",
    "[fe80:0:0:1:0:0:0:0]:5, [fe80:0:0:1::]:5",
  })
  void readsAndWritesIpPort(String text, String canonical) {
    InetSocketAddress endpoint = EndpointAddress.parse(text);
    assertThat(endpoint.isUnresolved()).isFalse();
    assertThat(EndpointAddress.format(endpoint)).isEqualTo(canonical);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "1.2.3.4|\"1.2.3.4\" is not ip:port (write 1.2.3.4:40000, IPv6 as [2001:db8::1]:40000)",
        "2001:db8::1|\"2001:db8::1\" is not ip:port (IPv6 needs brackets: write"
            + " [2001:db8::1]:40000)",
        "relay.example.com:40000|\"relay.example.com:40000\" is not ip:port (write an IP address:"
            + " the relay never resolves hostnames)",
        "1.2.3:40000|\"1.2.3:40000\" is not ip:port (the IPv4 address needs four numbers)",
        "1.2.3.400:40000|\"1.2.3.400:40000\" is not an IPv4 address (400 is more than 255)",
        "1.2.3.4:0|\"1.2.3.4:0\" has port 0, outside 1-65535",
        "1.2.3.4:70000|\"1.2.3.4:70000\" has port 70000, outside 1-65535",
        "1.2.3.4:99999999999|\"1.2.3.4:99999999999\" has port 99999999999, outside 1-65535",
        "[2001:db8::zz]:1|\"[2001:db8::zz]:1\" is not ip:port (write IPv6 as [2001:db8::1]:40000)",
        "[2001:db8:::1]:1|\"[2001:db8:::1]:1\" is not an IPv6 address (write e.g."
            + " [2001:db8::1]:40000)",
        "0.0.0.0:40000|\"0.0.0.0:40000\" is not an address a client can send to (no 0.0.0.0, ::,"
            + " or multicast)",
        "[::]:40000|\"[::]:40000\" is not an address a client can send to (no 0.0.0.0, ::, or"
            + " multicast)",
        "224.0.0.1:40000|\"224.0.0.1:40000\" is not an address a client can send to (no 0.0.0.0,"
            + " ::, or multicast)",
      })
  void rejectsWithTheFix(String text, String message) {
    assertThatThrownBy(() -> EndpointAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
