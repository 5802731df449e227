package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.http.FakeRelayView;
import io.peerrelay.relay.http.SidePortRoutes;
import io.peerrelay.relay.http.SidePortServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionsCommandIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Cli.execute(
        new SessionsCommand(), new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void printsTheSessionsOfARunningSidePort() throws Exception {
    FakeRelayView relay =
        FakeRelayView.listing(
            List.of(
                new SessionInfo(
                    1,
                    new SessionInfo.ClientInfo("127.0.0.1:5000", "d:aaaaaaaaaaaaaaaa", 1, 40),
                    new SessionInfo.ClientInfo("127.0.0.1:5001", "d:bbbbbbbbbbbbbbbb", 2, 80))));
    try (SidePortServer server = SidePortServer.start(0, new SidePortRoutes(relay))) {
      assertThat(run("--url", "http://127.0.0.1:" + server.port() + "/")).isZero();
    }

    assertThat(out.toString())
        .isEqualTo(
            "Relay UDP port 40000: 1 session\n"
                + "127.0.0.1:5000(d:aaaaaaaaaaaaaaaa) --> 127.0.0.1:5001(d:bbbbbbbbbbbbbbbb),"
                + " Packets: 1 Bytes: 40\n"
                + "127.0.0.1:5001(d:bbbbbbbbbbbbbbbb) --> 127.0.0.1:5000(d:aaaaaaaaaaaaaaaa),"
                + " Packets: 2 Bytes: 80\n");
  }

  @Test
  void saysSoWhenNoRelayListens() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }

    assertThat(run("--url", "http://127.0.0.1:" + port)).isEqualTo(1);

    assertThat(err.toString()).contains("cannot connect to http://127.0.0.1:" + port + "/sessions");
  }

  @Test
  void followsThePagesOfALargeListing() throws Exception {
    List<SessionInfo> many = new ArrayList<>();
    for (int vni = 1; vni <= 12_001; vni++) {
      many.add(
          new SessionInfo(
              vni,
              new SessionInfo.ClientInfo("127.0.0.1:5000", "d:aaaaaaaaaaaaaaaa", vni, 40),
              new SessionInfo.ClientInfo("", "d:bbbbbbbbbbbbbbbb", 0, 0)));
    }
    FakeRelayView relay = FakeRelayView.listing(many);
    try (SidePortServer server = SidePortServer.start(0, new SidePortRoutes(relay))) {
      assertThat(run("--url", "http://127.0.0.1:" + server.port())).isZero();
    }

    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Relay UDP port 40000: 12001 sessions");
    assertThat(lines).hasSize(1 + 2 * 12_001);
    assertThat(lines.get(lines.size() - 2)).contains("Packets: 12001 ");
    assertThat(relay.pagesServed()).isEqualTo(3); // 5000 + 5000 + 2001
  }
}
