package io.peerrelay.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address pattern the CRD (and the reconciler's re-check) applies to static endpoints. */
class StaticEndpointTest {

  private static final Pattern ADDRESS = Pattern.compile(StaticEndpoint.ADDRESS_PATTERN);
  private static final Pattern IPV4 = Pattern.compile("^" + StaticEndpoint.IPV4 + "$");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.1:40000",
        "0.0.0.0:1",
        "255.255.255.255:65535",
        "10.0.0.1:9",
        "[2001:db8::1]:40000",
        "[::1]:443",
        "[::ffff:192.0.2.1]:3478",
        "[2001:DB8:0:0:0:0:0:1]:65535"
      })
  void acceptsIpLiteralsWithAPort(String address) {
    assertThat(ADDRESS.matcher(address).matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "192.0.2.1",
        "192.0.2.1:0",
        "192.0.2.1:65536",
        "192.0.2.1:99999",
        "192.0.2.256:40000",
        "999.1.1.1:40000",
        "010.0.0.1:40000",
        "192.0.2:40000",
        "2001:db8::1:40000",
        "[2001:db8::1]",
        "[cafe]:40000",
        "relay.example.com:40000",
        " 192.0.2.1:40000",
        "192.0.2.1:040000"
      })
  void rejectsAnythingElse(String address) {
    assertThat(ADDRESS.matcher(address).matches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.5.140.2", "0.0.0.0", "255.255.255.255"})
  void elasticIpPublicAddressIsAnIpv4Literal(String address) {
    assertThat(IPV4.matcher(address).matches()).isTrue();
    assertThat(IPV4.matcher(address + ".1").matches()).isFalse();
  }
}
