package io.peerrelay.relay.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

/** The {@code peer-relay} program: the relay itself and the small tools that go with it. */
@TopCommand
@Command(
    name = "peer-relay",
    mixinStandardHelpOptions = true,
    versionProvider = RelayVersion.class,
    description = "A Tailscale-compatible peer relay and its tools.",
    subcommands = {
      ServeCommand.class,
      KeygenCommand.class,
      SessionsCommand.class,
      PingCommand.class,
      BenchCommand.class
    })
public class PeerRelayCommand {}
