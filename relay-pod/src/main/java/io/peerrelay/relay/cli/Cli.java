package io.peerrelay.relay.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code peer-relay COMMAND [OPTIONS]}: picks the command, parses its options, prints help,
 * the version or a usage error, and returns the exit code (0 done, 1 failed, 2 usage error).
 */
final class Cli {
  static final String PROGRAM = "peer-relay";
  private static final String SUMMARY = "A Tailscale-compatible peer relay and its tools.";
  private static final int WIDTH = 80;
  private static final int OPTION_COLUMN = 30;
  private static final String HELP = "Show this help message and exit.";
  private static final String VERSION = "Print version information and exit.";

  private Cli() {}

  /** Standard output for a command: flushed by {@link #run} and {@link #execute}. */
  static PrintWriter stdout() {
    return new PrintWriter(System.out, false, StandardCharsets.UTF_8);
  }

  /** Standard error for a command, flushed at every line. */
  static PrintWriter stderr() {
    return new PrintWriter(System.err, true, StandardCharsets.UTF_8);
  }

  /** Runs the command {@code args[0]} of {@code commands} with the rest of {@code args}. */
  static int run(List<CliCommand> commands, PrintWriter out, PrintWriter err, String... args) {
    try {
      if (args.length == 0) {
        err.println(PROGRAM + ": name a command");
        printTopUsage(commands, err);
        return 2;
      }
      switch (args[0]) {
        case "-h", "--help", "help" -> {
          printTopUsage(commands, out);
          return 0;
        }
        case "-V", "--version" -> {
          out.println(version());
          return 0;
        }
        default -> {}
      }
      for (CliCommand command : commands) {
        if (command.spec().name().equals(args[0])) {
          return execute(command, out, err, Arrays.copyOfRange(args, 1, args.length));
        }
      }
      err.println(PROGRAM + ": unknown command '" + args[0] + "'");
      printTopUsage(commands, err);
      return 2;
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** Parses {@code args} for {@code command} and runs it. */
  static int execute(CliCommand command, PrintWriter out, PrintWriter err, String... args) {
    command.out = out;
    command.err = err;
    CliSpec spec = command.spec();
    try {
      CliArgs parsed = CliArgs.parse(spec, List.of(args));
      switch (parsed.request()) {
        case HELP -> {
          printUsage(spec, out);
          return 0;
        }
        case VERSION -> {
          out.println(version());
          return 0;
        }
        case RUN -> command.accept(parsed);
      }
    } catch (CliArgs.UsageException e) {
      err.println(spec.name() + ": " + e.getMessage());
      err.println("Run '" + PROGRAM + " " + spec.name() + " --help' for its options.");
      err.flush();
      return 2;
    }
    try {
      return command.call();
    } catch (Exception e) {
      err.println(spec.name() + ": failed: " + e);
      e.printStackTrace(err);
      return 1;
    } finally {
      out.flush();
      err.flush();
    }
  }

  static String version() {
    return PROGRAM + " " + RelayVersion.text();
  }

  static void printTopUsage(List<CliCommand> commands, PrintWriter to) {
    to.println("Usage: " + PROGRAM + " COMMAND [OPTIONS]");
    to.println(SUMMARY);
    to.println("Commands:");
    int column = 2 + commands.stream().mapToInt(c -> c.spec().name().length()).max().orElse(0) + 2;
    for (CliCommand command : commands) {
      CliSpec spec = command.spec();
      wrap(to, "  " + spec.name(), summary(spec.description().get(0)), column);
    }
    to.println("Options:");
    to.println("  -h, --help     " + HELP);
    to.println("  -V, --version  " + VERSION);
    to.println("Run '" + PROGRAM + " COMMAND --help' for a command's options.");
  }

  /** A description's first clause: up to its first colon or full stop. */
  static String summary(String description) {
    for (int i = 0; i < description.length(); i++) {
      char c = description.charAt(i);
      boolean end = i + 1 == description.length() || description.charAt(i + 1) == ' ';
      if ((c == ':' || c == '.') && end) {
        return description.substring(0, i) + ".";
      }
    }
    return description;
  }

  static void printUsage(CliSpec spec, PrintWriter to) {
    StringBuilder synopsis = new StringBuilder(PROGRAM + " " + spec.name());
    for (CliSpec.Option option : spec.options()) {
      if (option.required()) {
        synopsis.append(' ').append(option.synopsis());
      }
    }
    for (List<String> group : spec.exactlyOneGroups()) {
      synopsis.append(" (").append(spec.synopses(group, " | ")).append(')');
    }
    synopsis.append(" [OPTIONS]");
    wrap(to, "Usage:", synopsis.toString(), 7);
    for (String line : spec.description()) {
      wrap(to, "", line, 0);
    }
    to.println("Options:");
    for (CliSpec.Option option : spec.options()) {
      wrap(to, "  " + option.synopsis(), option.description(), OPTION_COLUMN);
    }
    wrap(to, "  -h, --help", HELP, OPTION_COLUMN);
    wrap(to, "  -V, --version", VERSION, OPTION_COLUMN);
  }

  /**
   * Prints {@code head}, then {@code text} from {@code column} on, word-wrapped at {@link #WIDTH};
   * a head that reaches the column gets a line of its own.
   */
  private static void wrap(PrintWriter to, String head, String text, int column) {
    StringBuilder line = new StringBuilder(head);
    if (line.length() >= column && column > 0) {
      to.println(line);
      line.setLength(0);
    }
    boolean first = true;
    // Leading spaces of the text (an indented example line) are kept.
    String lead = text.substring(0, text.length() - text.stripLeading().length());
    for (String word : text.strip().split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (!first && line.length() + 1 + word.length() > WIDTH) {
        to.println(line);
        line.setLength(0);
        first = true;
      }
      if (first) {
        while (line.length() < column) {
          line.append(' ');
        }
        line.append(lead);
        lead = "";
        first = false;
      } else {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      to.println(line);
    } else if (text.isBlank()) {
      to.println();
    }
  }
}
