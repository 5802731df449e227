package io.peerrelay.relay.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 9 point 6: the side port listens only where told, and idle or surplus readers are cut. */
class SidePortExposureIT {
  private final FakeRelayView relay = new FakeRelayView();

  @Test
  void listensOnlyOnTheAddressItWasGiven() throws Exception {
    try (SidePortServer server =
        SidePortServer.start(
            List.of(InetAddress.getByName("127.0.0.1")), 0, new SidePortRoutes(relay))) {
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        assertThat(s.isConnected()).isTrue();
      }
      // 127.0.0.2 is another loopback address of this host: a wildcard bind would answer it.
      assertThatThrownBy(() -> new Socket("127.0.0.2", server.port()).close())
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  void bindAddressesFollowTheServeOptions() throws Exception {
    assertThat(SidePortServer.addressesFor("0.0.0.0", "::")).isEmpty();
    assertThat(SidePortServer.addressesFor("0.0.0.0", null)).isEmpty();
    assertThat(SidePortServer.addressesFor("192.0.2.1", "::"))
        .containsExactly(InetAddress.getByName("192.0.2.1"));
    assertThat(SidePortServer.addressesFor("192.0.2.1", "2001:db8::1"))
        .containsExactly(InetAddress.getByName("192.0.2.1"), InetAddress.getByName("2001:db8::1"));
  }

  @Test
  void idleConnectionsAreClosedAndSurplusOnesRefused() throws Exception {
    try (SidePortServer server =
        SidePortServer.start(
            List.of(InetAddress.getByName("127.0.0.1")), 0, new SidePortRoutes(relay))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < SidePortServer.MAX_CONNECTIONS; i++) {
          held.add(new Socket("127.0.0.1", server.port()));
        }
        Thread.sleep(300);
        try (Socket extra = new Socket()) {
          extra.connect(new InetSocketAddress("127.0.0.1", server.port()));
          extra.setSoTimeout(3000);
          assertThat(extra.getInputStream().read()).as("surplus connection closed").isEqualTo(-1);
        }
        Socket idle = held.get(0);
        idle.setSoTimeout((SidePortServer.IDLE_SECONDS + 5) * 1000);
        long start = System.nanoTime();
        InputStream in = idle.getInputStream();
        assertThat(in.read()).as("idle connection closed").isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(SidePortServer.IDLE_SECONDS + 5);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      // Once the readers are gone the port serves again.
      try (Socket s = new Socket("127.0.0.1", server.port())) {
        s.getOutputStream()
            .write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.setSoTimeout(3000);
        assertThat(new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");
      }
    }
  }
}
