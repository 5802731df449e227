package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.core.SessionInfo.ClientInfo;
import io.peerrelay.relay.http.SessionListingJson;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionListingTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void twoLinesPerSessionSortedByVniWithNoHandshakeForUnboundLegs() throws Exception {
    String json =
        SessionListingJson.render(
            40000,
            List.of(
                new SessionInfo(
                    9,
                    new ClientInfo("[2001:db8::1]:41641", "d:1111111111111111", 5, 500),
                    new ClientInfo("198.51.100.2:3478", "d:2222222222222222", 6, 600)),
                new SessionInfo(
                    2,
                    new ClientInfo("192.0.2.1:41641", "d:0123456789abcdef", 3, 300),
                    new ClientInfo("", "d:fedcba9876543210", 0, 0))));

    assertThat(SessionListingText.lines(JSON.readTree(json)))
        .containsExactly(
            "Relay UDP port 40000: 2 sessions",
            "192.0.2.1:41641(d:0123456789abcdef) --> <no handshake>(d:fedcba9876543210),"
                + " Packets: 3 Bytes: 300",
            "<no handshake>(d:fedcba9876543210) --> 192.0.2.1:41641(d:0123456789abcdef),"
                + " Packets: 0 Bytes: 0",
            "[2001:db8::1]:41641(d:1111111111111111) --> 198.51.100.2:3478(d:2222222222222222),"
                + " Packets: 5 Bytes: 500",
            "198.51.100.2:3478(d:2222222222222222) --> [2001:db8::1]:41641(d:1111111111111111),"
                + " Packets: 6 Bytes: 600");
  }

  @Test
  void noSessionsIsJustTheHeader() throws Exception {
    assertThat(SessionListingText.lines(JSON.readTree("{\"UDPPort\":40000,\"Sessions\":null}")))
        .containsExactly("Relay UDP port 40000: 0 sessions");
  }
}
