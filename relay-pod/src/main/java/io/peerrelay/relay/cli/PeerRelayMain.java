package io.peerrelay.relay.cli;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The {@code peer-relay} program: the relay itself ({@code serve}) and the small tools that go with
 * it. Quarkus starts it and exits with the code it returns.
 */
@QuarkusMain
public class PeerRelayMain implements QuarkusApplication {
  @Inject ShutdownDrain shutdownDrain;

  @Override
  public int run(String... args) {
    ServeCommand serve = new ServeCommand();
    serve.shutdownDrain = shutdownDrain;
    List<CliCommand> commands =
        List.of(
            serve,
            new KeygenCommand(),
            new SessionsCommand(),
            new PingCommand(),
            new BenchCommand());
    return Cli.run(commands, Cli.stdout(), Cli.stderr(), args);
  }
}
