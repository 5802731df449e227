package io.peerrelay.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1:40000,192.0.2.1:40000",
    "[2001:db8::1]:40000,[2001:db8::1]:40000",
    "[2001:DB8:0:0:0:0:0:1]:1,[2001:db8::1]:1",
    "[2001:db8:0:1:1:1:1:1]:9,[2001:db8:0:1:1:1:1:1]:9",
    "[2001:0:0:1:0:0:0:1]:9,[2001:0:0:1::1]:9",
    "[2001:db8:0:0:1:0:0:1]:9,[2001:db8::1:0:0:1]:9",
    "[::1]:9,[::1]:9",
    "[::]:9,[::]:9",
    "[fe80::]:9,[fe80::]:9",
    "[::ffff:192.0.2.1]:9,192.0.2.1:9",
    "[1:0:0:0:0:0:0:0]:9,[1::]:9"
  })
  void printsTheCanonicalForm(String in, String out) {
    assertThat(Endpoint.parse(in)).hasToString(out);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.1",
        "192.0.2.256:1",
        "192.0.2.1:0",
        "192.0.2.1:65536",
        "2001:db8::1:40000",
        "[cafe]:40000",
        "relay.example.com:40000",
        "[2001:db8::1]",
        " 192.0.2.1:1"
      })
  void rejectsAnythingButLiterals(String text) {
    assertThatThrownBy(() -> Endpoint.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0,false", "224.0.0.1,false", "::,false", "ff02::1,false", "10.0.0.1,true"})
  void onlyAddressesClientsCanSendToAreAdvertisable(String address, boolean advertisable)
      throws UnknownHostException {
    assertThat(new Endpoint(InetAddress.getByName(address), 1).isAdvertisable())
        .isEqualTo(advertisable);
  }
}
