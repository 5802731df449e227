package io.peerrelay.relay.cli;

import java.io.PrintWriter;

/** One command of {@code peer-relay}: its spec, how it reads its options, and its work. */
abstract class CliCommand {
  /** Standard output; {@link Cli} sets both streams before {@link #accept}. */
  PrintWriter out;

  /** Standard error: messages for the user. */
  PrintWriter err;

  /** The command's name, description and options. */
  abstract CliSpec spec();

  /**
   * Reads the parsed options into the command's fields.
   *
   * @throws CliArgs.UsageException for a value the command cannot use
   */
  abstract void accept(CliArgs args);

  /** Runs the command; the result is the process's exit code. */
  abstract int call() throws Exception;
}
