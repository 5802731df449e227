package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argument errors of {@code peer-relay ping} end with exit 2 and a message naming the fix. */
class PingCommandTest {
  private static final String SERVER = DiscoPrivateKey.generate().publicKey().toString();
  private static final String PEER = DiscoPrivateKey.generate().publicKey().toString();
  private static final String OWN = DiscoPrivateKey.generate().toText();

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--peer | nodekey:00 | discokey:<64 hex>",
        "--server-key | discokey:12 | discokey:<64 hex>",
        "--key | discoprivkey:zz | discoprivkey:<64 hex>",
        "--relay | 127.0.0.1 | HOST:PORT",
        "--interval | 5 | 5",
        "--vni | 0 | --vni must be 1-16777215, got 0",
        "--vni | 16777216 | --vni must be 1-16777215, got 16777216"
      })
  void badArgumentsExitTwoNamingTheExpectedForm(String option, String value, String message) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--relay", "127.0.0.1:9", "--server-key", SERVER, "--peer", PEER, "--key", OWN));
    int at = args.indexOf(option);
    if (at < 0) {
      args.add(option);
      args.add(value);
    } else {
      args.set(at + 1, value);
    }
    StringWriter err = new StringWriter();
    int exit =
        Cli.execute(
            new PingCommand(),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            args.toArray(String[]::new));
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("ping: ").contains(message);
  }
}
