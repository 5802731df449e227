package io.peerrelay.relay.cli;

import io.peerrelay.relay.client.LoadGenerator;
import io.peerrelay.relay.client.LoadGenerator.Flow;
import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.core.RelayEvents;
import io.peerrelay.relay.core.RelayServer;
import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.transport.RelayTransport;
import io.peerrelay.relay.transport.TransportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A first forwarding-rate figure: an in-process relay on loopback, blasted by client pairs. */
public class BenchCommand extends CliCommand {
  static final CliSpec SPEC =
      CliSpec.command(
              "bench",
              "Measure forwarding rate on loopback: start a relay in this process, bind PAIRS client"
                  + " pairs through it, send Geneve data datagrams one way and count what arrives."
                  + " Prints a table per payload size, with a direct (no relay) run as the"
                  + " generator's own ceiling, and round-trip latency (p50/p99) through the relay"
                  + " against a direct loopback path.",
              "Figures only: it never fails on a number.")
          .option("--pairs", "PAIRS", "4", "Client pairs (default 4).")
          .option(
              "--payloads",
              "SIZES",
              "64,512,1280",
              "UDP payload sizes in bytes, Geneve header included (default 64,512,1280).")
          .option("--seconds", "SECONDS", "5", "Seconds per run (default 5).")
          .option("--threads", "N", "2", "Relay event-loop threads (default 2).")
          .option(
              "--rounds",
              "N",
              "10000",
              "Echo round trips for the latency rows (default 10000, 0 skips them).");

  int pairs;
  List<Integer> payloads;
  double seconds;
  int threads;
  int rounds;

  @Override
  CliSpec spec() {
    return SPEC;
  }

  @Override
  void accept(CliArgs args) {
    pairs = args.positiveInteger("--pairs");
    payloads = args.value("--payloads", BenchCommand::sizes);
    seconds = args.decimal("--seconds");
    threads = args.positiveInteger("--threads");
    rounds = args.integer("--rounds");
  }

  /** {@code 64,512,1280}: sizes in bytes, comma-separated. */
  static List<Integer> sizes(String text) {
    List<Integer> sizes = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      sizes.add(Integer.valueOf(part.strip()));
    }
    return List.copyOf(sizes);
  }

  @Override
  int call() throws Exception {
    DiscoPrivateKey serverKey = DiscoPrivateKey.generate();
    List<DiscoPrivateKey[]> keys = new ArrayList<>();
    Set<DiscoPublicKey> granted = new HashSet<>();
    for (int i = 0; i < pairs; i++) {
      DiscoPrivateKey a = DiscoPrivateKey.generate();
      DiscoPrivateKey b = DiscoPrivateKey.generate();
      keys.add(new DiscoPrivateKey[] {a, b});
      granted.add(a.publicKey());
    }
    RelayServer server =
        new RelayServer(
            serverKey,
            RelaySettings.defaults().withAllowedClientKeys(granted).withLimits(1000, 1e6, 1000),
            RelayEvents.NONE,
            System::nanoTime);
    try (RelayTransport transport =
        RelayTransport.start(server, TransportOptions.loopback(0, threads).withoutIpv6())) {
      InetSocketAddress relay = new InetSocketAddress("127.0.0.1", transport.udpPortV4());
      server.apply(server.settings().withAdvertisedEndpoints(List.of(relay)));
      List<Flow> relayed = new ArrayList<>();
      List<Flow> direct = new ArrayList<>();
      List<Integer> vnis = new ArrayList<>();
      for (DiscoPrivateKey[] pair : keys) {
        var sa = LoadGenerator.open(relay);
        var sb = LoadGenerator.open(relay);
        // The clients borrow the channels' sockets for the handshake; the load reuses them.
        RelayClient a = client(pair[0], pair[1], serverKey, relay, sa);
        RelayClient b = client(pair[1], pair[0], serverKey, relay, sb);
        a.allocate(Duration.ofSeconds(5));
        b.useEndpoint(a.endpoint());
        a.bind(Duration.ofSeconds(5));
        b.bind(Duration.ofSeconds(5));
        awaitOpen(server, a.endpoint().vni());
        vnis.add(a.endpoint().vni());
        relayed.add(new Flow(sa, relay, sb));
        var da = LoadGenerator.open(relay);
        var db = LoadGenerator.open(relay);
        direct.add(new Flow(da, (InetSocketAddress) db.getLocalAddress(), db));
      }
      printLatency(out, direct.get(0), relayed.get(0), vnis.get(0));
      printRates(out, transport, direct, relayed, vnis);
      closeAll(relayed);
      closeAll(direct);
    }
    return 0;
  }

  /** The forwarding-rate table: per payload size, direct beside relayed. */
  private void printRates(
      PrintWriter out,
      RelayTransport transport,
      List<Flow> direct,
      List<Flow> relayed,
      List<Integer> vnis)
      throws IOException, InterruptedException {
    out.printf(
        "# peer-relay bench: %d pairs, relay threads %d (%s, SO_REUSEPORT %s), %d cores, %.1f s per run%n",
        pairs,
        threads,
        transport.nativeTransport() ? "epoll" : "nio",
        transport.reusePortTook() ? "on" : "off",
        Runtime.getRuntime().availableProcessors(),
        seconds);
    out.println(
        "| payload B | path   | sent pkt/s | received pkt/s | delivered | Gbit/s | relay/direct |");
    out.println(
        "|----------:|--------|-----------:|---------------:|----------:|-------:|-------------:|");
    for (int size : payloads) {
      List<byte[]> datagrams = new ArrayList<>();
      for (int vni : vnis) {
        byte[] d = new byte[Math.max(Geneve.LENGTH, size)];
        Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(d, 0);
        datagrams.add(d);
      }
      var d = LoadGenerator.run(direct, datagrams, seconds);
      var r = LoadGenerator.run(relayed, datagrams, seconds);
      row(out, size, "direct", d, 1.0);
      row(out, size, "relay", r, r.receivedPerSecond() / d.receivedPerSecond());
      out.flush();
    }
  }

  private static void closeAll(List<Flow> flows) throws IOException {
    for (Flow f : flows) {
      f.sender().close();
      f.receiver().close();
    }
  }

  private void printLatency(PrintWriter out, Flow direct, Flow relayed, int vni) throws Exception {
    if (rounds <= 0) {
      return;
    }
    byte[] d = new byte[64];
    Geneve.data(Geneve.PROTOCOL_WIREGUARD, vni).encode(d, 0);
    // Direct: A to B's socket and back to A's. Relayed: both sides send to the relay.
    Flow directBack =
        new Flow(direct.receiver(), (InetSocketAddress) direct.sender().getLocalAddress(), null);
    Flow relayBack = new Flow(relayed.receiver(), relayed.target(), null);
    // A discarded warm-up first: cold JIT code on the relay path shows up as tens of µs.
    LoadGenerator.roundTrips(relayed, d, relayBack, d, Math.max(1, rounds / 2));
    long[] viaDirect = LoadGenerator.roundTrips(direct, d, directBack, d, rounds);
    long[] viaRelay = LoadGenerator.roundTrips(relayed, d, relayBack, d, rounds);
    out.printf("# round trips, 64-byte datagrams, %d rounds each%n", rounds);
    out.println("| path   | answered | p50 us | p99 us | added by relay p50 / p99 us |");
    out.println("|--------|---------:|-------:|-------:|----------------------------:|");
    out.printf(
        Locale.ROOT,
        "| direct | %8d | %6.1f | %6.1f |                             |%n",
        viaDirect.length,
        pct(viaDirect, 0.50),
        pct(viaDirect, 0.99));
    out.printf(
        Locale.ROOT,
        "| relay  | %8d | %6.1f | %6.1f | %13.1f / %-13.1f |%n",
        viaRelay.length,
        pct(viaRelay, 0.50),
        pct(viaRelay, 0.99),
        pct(viaRelay, 0.50) - pct(viaDirect, 0.50),
        pct(viaRelay, 0.99) - pct(viaDirect, 0.99));
    out.flush();
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e3;
  }

  /** Runs the command without the Quarkus runtime: {@code java -cp ... BenchCommand [options]}. */
  public static void main(String[] args) {
    System.exit(Cli.execute(new BenchCommand(), Cli.stdout(), Cli.stderr(), args));
  }

  private static void awaitOpen(RelayServer server, int vni) throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      for (var s : server.sessions()) {
        if (s.vni() == vni
            && !s.client1().endpoint().isEmpty()
            && !s.client2().endpoint().isEmpty()) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("session " + vni + " did not open");
  }

  private static void row(
      PrintWriter out, int size, String path, LoadGenerator.Result r, double ratio) {
    out.printf(
        Locale.ROOT,
        "| %9d | %-6s | %10.0f | %14.0f | %8.1f%% | %6.3f | %12.2f |%n",
        size,
        path,
        r.sent() / r.seconds(),
        r.receivedPerSecond(),
        100 * r.delivered(),
        r.gigabitsPerSecond(),
        ratio);
  }

  private static RelayClient client(
      DiscoPrivateKey own,
      DiscoPrivateKey peer,
      DiscoPrivateKey server,
      InetSocketAddress relay,
      java.nio.channels.DatagramChannel channel) {
    DatagramSocket socket = channel.socket();
    return new RelayClient(
        own, server.publicKey(), peer.publicKey(), relay, socket, System::nanoTime);
  }
}
