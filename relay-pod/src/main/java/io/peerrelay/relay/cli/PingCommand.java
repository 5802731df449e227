package io.peerrelay.relay.cli;

import io.peerrelay.relay.client.RelayClient;
import io.peerrelay.relay.client.RelayClient.PongReceived;
import io.peerrelay.relay.config.GoDuration;
import io.peerrelay.relay.protocol.AddrPort;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** Reaches a peer through a relay: allocate, bind, then disco ping/pong with round-trip times. */
public class PingCommand extends CliCommand {
  static final CliSpec SPEC =
      CliSpec.command(
              "ping",
              "Ping a peer through a relay, as a Tailscale client would over a peer relay.",
              "Run it on both sides with swapped keys; each side answers the other's pings.",
              "Exits 0 once COUNT pongs arrived, 1 otherwise.")
          .required(
              "--relay",
              "HOST:PORT",
              "The relay's UDP address (a.b.c.d:port, [v6]:port or name:port).")
          .required(
              "--server-key",
              "discokey:HEX",
              "The relay's server disco key (from its status or `peer-relay keygen`).")
          .required("--peer", "discokey:HEX", "The peer's disco public key.")
          .option(
              "--key-file", "FILE", null, "File holding the own private key (discoprivkey:HEX).")
          .option("--key", "discoprivkey:HEX", null, "The own private key.")
          .exactlyOneOf("--key-file", "--key")
          .option(
              "--vni",
              "N",
              null,
              "The session was allocated elsewhere (e.g. by tailscaled over DERP, or by"
                  + " Tailscale's own relay server in a harness): skip allocation and bind to VNI"
                  + " N at --relay.")
          .option("--count", "COUNT", "3", "Pongs to wait for (default 3).")
          .option("--interval", "DURATION", "1s", "Time between pings, Go-style (default 1s).")
          .option("--timeout", "DURATION", "20s", "Give up after this long in total (default 20s).")
          .option(
              "--linger",
              "DURATION",
              "2s",
              "Keep answering the peer's pings this long after the last pong (default 2s).");

  String relay;
  String serverKey;
  String peer;
  Path keyFile;
  String keyText;
  Integer vni;
  int count;
  String interval;
  String timeout;
  String linger;

  @Override
  CliSpec spec() {
    return SPEC;
  }

  @Override
  void accept(CliArgs args) {
    relay = args.text("--relay");
    serverKey = args.text("--server-key");
    peer = args.text("--peer");
    keyFile = args.path("--key-file");
    keyText = args.text("--key");
    vni = args.integer("--vni");
    count = args.integer("--count");
    interval = args.text("--interval");
    timeout = args.text("--timeout");
    linger = args.text("--linger");
  }

  @Override
  int call() {
    try {
      DiscoPrivateKey key = ownKey();
      DiscoPublicKey server = DiscoPublicKey.parse(serverKey);
      DiscoPublicKey peerKey = DiscoPublicKey.parse(peer);
      InetSocketAddress relayAddress = resolve(relay);
      Duration every = GoDuration.parse(interval);
      Duration total = GoDuration.parse(timeout);
      long deadline = System.nanoTime() + total.toNanos();
      try (RelayClient client = RelayClient.open(key, server, peerKey, relayAddress)) {
        if (vni != null) {
          client.useAllocatedElsewhere(server, vni);
        }
        int got = run(client, every, deadline, out);
        if (got < count) {
          err.printf("ping: %d of %d pongs from %s within %s%n", got, count, peerKey, timeout);
          err.flush();
          return 1;
        }
        // The peer may still need our pongs for its own count.
        long lingerUntil = System.nanoTime() + GoDuration.parse(linger).toNanos();
        while (client.awaitPong(lingerUntil) != null) {
          // Late pongs of ours are ignored; the peer's pings were answered inside awaitPong.
        }
        return 0;
      }
    } catch (IllegalArgumentException e) {
      err.println("ping: " + e.getMessage());
      err.flush();
      return 2;
    } catch (TimeoutException | IOException e) {
      err.println("ping: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private int run(RelayClient client, Duration every, long deadline, PrintWriter out)
      throws IOException, TimeoutException {
    if (vni == null) {
      client.allocate(remaining(deadline));
    }
    InetSocketAddress via = client.bind(remaining(deadline));
    int got = 0;
    long lastPongAt = System.nanoTime();
    while (got < count && System.nanoTime() < deadline) {
      client.sendPing();
      long nextPing = Math.min(deadline, System.nanoTime() + every.toNanos());
      PongReceived pong;
      while ((pong = client.awaitPong(nextPing)) != null) {
        got++;
        lastPongAt = System.nanoTime();
        out.printf(
            Locale.ROOT,
            "pong from %s via %s vni %d in %.2f ms%n",
            pong.from(),
            AddrPort.format(pong.via()),
            pong.vni(),
            pong.rttNanos() / 1e6);
        out.flush();
        if (got >= count) {
          break;
        }
      }
      if (got < count
          && System.nanoTime() - lastPongAt > Math.max(3_000_000_000L, 3 * every.toNanos())) {
        // No pong for a while: our binding may be gone (relay restart, NAT rebinding). Bind again,
        // and allocate again if the session itself is gone (PROTOCOL.md §7).
        try {
          via = client.bind(Duration.ofSeconds(2));
        } catch (TimeoutException e) {
          if (vni == null) {
            // With --vni the session is not ours to re-allocate; keep binding until the deadline.
            client.allocate(remaining(deadline));
          }
          via = client.bind(remaining(deadline));
        }
        lastPongAt = System.nanoTime();
      }
    }
    return got;
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  private DiscoPrivateKey ownKey() throws IOException {
    if (keyText != null) {
      return DiscoPrivateKey.parse(keyText);
    }
    return DiscoPrivateKey.parse(Files.readString(keyFile, StandardCharsets.UTF_8));
  }

  /** {@code ip:port} literals as Go writes them, or {@code host:port} resolved once. */
  static InetSocketAddress resolve(String text) throws IOException {
    try {
      return AddrPort.parse(text);
    } catch (IllegalArgumentException notLiteral) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("--relay must be HOST:PORT, got '" + text + "'");
      }
      int port;
      try {
        port = Integer.parseInt(text.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--relay must be HOST:PORT, got '" + text + "'", e);
      }
      return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)), port);
    }
  }
}
