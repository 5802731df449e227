package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.core.SessionInfo;
import io.peerrelay.relay.http.RelayView;
import io.peerrelay.relay.http.SidePortRoutes;
import io.peerrelay.relay.http.SidePortServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SessionsCommandIT {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new SessionsCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void printsTheSessionsOfARunningSidePort() throws Exception {
    RelayView relay =
        new RelayView() {
          @Override
          public String notAliveReason() {
            return null;
          }

          @Override
          public String notReadyReason() {
            return null;
          }

          @Override
          public String metricsText() {
            return "";
          }

          @Override
          public int configuredUdpPort() {
            return 40000;
          }

          @Override
          public io.peerrelay.relay.config.ConfigStatus configStatus() {
            return null;
          }

          @Override
          public String serverDiscoKey() {
            return null;
          }

          @Override
          public List<SessionInfo> sessions() {
            return List.of(
                new SessionInfo(
                    1,
                    new SessionInfo.ClientInfo("127.0.0.1:5000", "d:aaaaaaaaaaaaaaaa", 1, 40),
                    new SessionInfo.ClientInfo("127.0.0.1:5001", "d:bbbbbbbbbbbbbbbb", 2, 80)));
          }
        };
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
}
