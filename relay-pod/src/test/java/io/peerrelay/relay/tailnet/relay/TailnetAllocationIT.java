package io.peerrelay.relay.tailnet.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.tailnet.GoTool;
import io.peerrelay.relay.tailnet.derp.DerpServer;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import io.peerrelay.relay.transport.RelayTransport;
import io.peerrelay.relay.transport.TransportOptions;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay as a tailnet node, end to end on loopback: Tailscale's derpserver carries disco between
 * our relay (Java DERP client, disco over DERP, relay core on a real UDP port) and a Go peer that
 * behaves as magicsock does (tailscale.com/disco): it pings over DERP, allocates over DERP, binds
 * both legs on our UDP port with Tailscale's Geneve/disco code, passes data and pings the UDP port.
 */
class TailnetAllocationIT {
  @TempDir Path dir;
  GoTool.Running derpServer;
  RelayServer core;
  RelayTransport transport;
  RelayMetrics relayMetrics = new RelayMetrics("test");
  TailnetRelay tailnet;
  final DiscoPrivateKey relayDisco = DiscoPrivateKey.generate();
  final TailnetPrivateKey relayNode = TailnetPrivateKey.generate();
  final MapPeerDirectory peers = new MapPeerDirectory();
  int derpPort;
  InetSocketAddress udp;

  @BeforeEach
  void start() throws Exception {
    derpServer = GoTool.Running.start(dir.resolve("serve.stderr"), "serve");
    derpPort = Integer.parseInt(derpServer.await("listening ").split(" ")[1]);
    core =
        new RelayServer(relayDisco, RelaySettings.defaults(), RelayEvents.NONE, System::nanoTime);
    transport = RelayTransport.start(core, TransportOptions.loopback(0, 1));
    udp = new InetSocketAddress("127.0.0.1", transport.udpPortV4());
    core.apply(core.settings().withAdvertisedEndpoints(List.of(udp)));
    tailnet =
        TailnetRelay.create(
            core, relayDisco, peers, relayNode, new TailnetMetrics(relayMetrics.registry()), null);
    tailnet.homeDerpChanged(
        new DerpServer("derp.test", "127.0.0.1", "none", derpPort, true, ""), 900);
    await().atMost(Duration.ofSeconds(20)).until(tailnet::derpConnected);
  }

  @AfterEach
  void stop() {
    tailnet.close();
    transport.close();
    derpServer.close();
  }

  @Test
  void aGrantedPeerAllocatesOverDerpBindsAndPassesData() throws Exception {
    TailnetPrivateKey peerNode = TailnetPrivateKey.generate();
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    peers.add(
        new TailnetPeer(peerNode.publicKey(TailnetKey.Kind.NODE), a.publicKey(), "go-peer"), true);
    GoTool.Running peer = runPeer(peerNode, a);
    int exit = peer.waitFor(60);
    System.out.println(peer.output()); // kept in target/failsafe-reports for the record
    assertThat(exit).as(peer.output()).isZero();
    assertThat(peer.output())
        .contains("ok disco ping over DERP answered: pong src 127.3.3.40:900")
        .contains("ok allocated over DERP: gen 42")
        .contains("ok data passed both ways")
        .contains("ok plain disco ping on the relay's UDP port answered")
        .contains("ok done");
    String scrape = relayMetrics.scrape();
    assertThat(scrape)
        .contains("peerrelay_tailnet_allocations_total{result=\"ok\"} 1.0")
        .contains("peerrelay_tailnet_derp_connected 1.0")
        .contains("peerrelay_tailnet_pings_total{path=\"derp\",result=\"answered\"} 1.0")
        .contains("peerrelay_tailnet_pings_total{path=\"udp\",result=\"answered\"} 1.0");
    assertThat(core.sessionCount()).isEqualTo(1);

    // The next netmap no longer grants the peer: its session ends.
    peers.granted.clear();
    assertThat(tailnet.netmapChanged()).isEqualTo(1);
    assertThat(core.sessionCount()).isZero();
    assertThat(relayMetrics.scrape()).contains("peerrelay_tailnet_sessions_revoked_total 1.0");
  }

  @Test
  void aPeerWithoutTheGrantGetsNoAnswer() throws Exception {
    TailnetPrivateKey peerNode = TailnetPrivateKey.generate();
    DiscoPrivateKey a = DiscoPrivateKey.generate();
    peers.add(
        new TailnetPeer(peerNode.publicKey(TailnetKey.Kind.NODE), a.publicKey(), "go-peer"), false);
    GoTool.Running peer = runPeer(peerNode, a, "--expect-refusal");
    assertThat(peer.waitFor(60)).as(peer.output()).isZero();
    assertThat(relayMetrics.scrape())
        .contains("peerrelay_tailnet_allocations_total{result=\"not_granted\"} 1.0");
    assertThat(core.sessionCount()).isZero();
  }

  private GoTool.Running runPeer(TailnetPrivateKey node, DiscoPrivateKey a, String... extra)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "peer",
                "--derp-port",
                Integer.toString(derpPort),
                "--relay-node",
                relayNode.publicKey(TailnetKey.Kind.NODE).toString(),
                "--relay-disco",
                relayDisco.publicKey().toString(),
                "--relay-udp",
                "127.0.0.1:" + udp.getPort(),
                "--node-key",
                node.toText(),
                "--disco-a",
                a.toText(),
                "--disco-b",
                DiscoPrivateKey.generate().toText(),
                "--region",
                "900"));
    args.addAll(List.of(extra));
    return GoTool.Running.start(dir.resolve("peer.stderr"), args.toArray(String[]::new));
  }
}
