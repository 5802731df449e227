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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reaches a peer through a relay: allocate, bind, then disco ping/pong with round-trip times. */
@Command(
    name = "ping",
    mixinStandardHelpOptions = true,
    description = {
      "Ping a peer through a relay, as a Tailscale client would over a peer relay.",
      "Run it on both sides with swapped keys; each side answers the other's pings.",
      "Exits 0 once COUNT pongs arrived, 1 otherwise."
    })
public class PingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--relay",
      required = true,
      paramLabel = "HOST:PORT",
      description = "The relay's UDP address (a.b.c.d:port, [v6]:port or name:port).")
  String relay;

  @Option(
      names = "--server-key",
      required = true,
      paramLabel = "discokey:HEX",
      description = "The relay's server disco key (from its status or `peer-relay keygen`).")
  String serverKey;

  @Option(
      names = "--peer",
      required = true,
      paramLabel = "discokey:HEX",
      description = "The peer's disco public key.")
  String peer;

  @ArgGroup(exclusive = true, multiplicity = "1")
  OwnKey own;

  /** Exactly one source for the own private key. */
  static class OwnKey {
    @Option(
        names = "--key-file",
        paramLabel = "FILE",
        description = "File holding the own private key (discoprivkey:HEX).")
    Path keyFile;

    @Option(names = "--key", paramLabel = "discoprivkey:HEX", description = "The own private key.")
    String key;
  }

  @Option(
      names = "--vni",
      paramLabel = "N",
      description = {
        "The session was allocated elsewhere (e.g. by tailscaled over DERP, or by Tailscale's",
        "own relay server in a harness): skip allocation and bind to VNI N at --relay."
      })
  Integer vni;

  @Option(names = "--count", defaultValue = "3", description = "Pongs to wait for (default 3).")
  int count;

  @Option(
      names = "--interval",
      defaultValue = "1s",
      description = "Time between pings, Go-style (default 1s).")
  String interval;

  @Option(
      names = "--timeout",
      defaultValue = "20s",
      description = "Give up after this long in total (default 20s).")
  String timeout;

  @Option(
      names = "--linger",
      defaultValue = "2s",
      description = "Keep answering the peer's pings this long after the last pong (default 2s).")
  String linger;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
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
    if (own.key != null) {
      return DiscoPrivateKey.parse(own.key);
    }
    return DiscoPrivateKey.parse(Files.readString(own.keyFile, StandardCharsets.UTF_8));
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
