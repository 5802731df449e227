package io.peerrelay.relay.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The relay's command-line parser: options, help, version and the errors a user sees. */
class CliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** A command that records what it was given. */
  static class Probe extends CliCommand {
    static final CliSpec SPEC =
        CliSpec.command("probe", "Probe the parser.", "  an indented example line")
            .required("--config", "FILE", "The file.")
            .option("--count", "N", "3", "How many (default 3).")
            .flag("--force", "Do it anyway.")
            .option("--a", "X", null, "One source.")
            .option("--b", "Y", null, "The other source.")
            .exactlyOneOf("--a", "--b");

    Path config;
    int count;
    boolean force;
    String source;
    boolean ran;

    @Override
    CliSpec spec() {
      return SPEC;
    }

    @Override
    void accept(CliArgs args) {
      config = args.path("--config");
      count = args.integer("--count");
      force = args.flag("--force");
      source = args.has("--a") ? "a=" + args.text("--a") : "b=" + args.text("--b");
    }

    @Override
    int call() {
      ran = true;
      out.println("ran");
      return 7;
    }
  }

  private int run(CliCommand command, String... args) {
    return Cli.execute(command, new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void bothValueFormsDefaultsAndFlagsReachTheCommand() {
    Probe p = new Probe();
    assertThat(run(p, "--config=relay.yaml", "--force", "--b", "x=y")).isEqualTo(7);
    assertThat(p.ran).isTrue();
    assertThat(p.config).isEqualTo(Path.of("relay.yaml"));
    assertThat(p.count).isEqualTo(3);
    assertThat(p.force).isTrue();
    assertThat(p.source).isEqualTo("b=x=y");
    assertThat(out.toString()).isEqualTo("ran\n");
    assertThat(err.toString()).isEmpty();

    Probe q = new Probe();
    assertThat(run(q, "--config", "c", "--count", "9", "--a", "")).isEqualTo(7);
    assertThat(q.count).isEqualTo(9);
    assertThat(q.force).isFalse();
    assertThat(q.source).isEqualTo("a=");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--config c --a 1 --colour red | unknown option '--colour'",
        "--a 1 | missing required option '--config=FILE'",
        "--config c --config d --a 1 | option '--config' is given more than once",
        "--config c --force=yes --a 1 | option '--force' is a flag and takes no value",
        "--a 1 --config | option '--config=FILE' needs a value",
        "--config c | give one of --a=X, --b=Y",
        "--config c --a 1 --b 2 | give only one of --a=X, --b=Y",
        "--config c --a 1 --count many | invalid value for option '--count=N': 'many' is not a"
            + " number",
        "--config c --a 1 stray | unexpected argument 'stray': probe takes only --options"
      })
  void aCommandLineThatDoesNotFitExitsTwoNamingTheOption(String line, String message) {
    Probe p = new Probe();
    assertThat(run(p, line.split(" "))).isEqualTo(2);
    assertThat(p.ran).isFalse();
    assertThat(err.toString())
        .startsWith("probe: " + message + "\n")
        .contains("Run 'peer-relay probe --help' for its options.");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void helpListsEveryOptionOnStandardOutputAndRunsNothing() {
    Probe p = new Probe();
    assertThat(run(p, "--help")).isZero();
    assertThat(p.ran).isFalse();
    String help = out.toString();
    assertThat(help)
        .startsWith("Usage: peer-relay probe --config=FILE (--a=X | --b=Y) [OPTIONS]\n")
        .contains("Probe the parser.\n  an indented example line\n");
    for (CliSpec.Option option : Probe.SPEC.options()) {
      assertThat(help).contains("  " + option.synopsis() + " ").contains(option.description());
    }
    assertThat(help).contains("-h, --help").contains("-V, --version");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void longDescriptionsWrapAtEightyColumnsUnderTheirColumn() {
    Cli.printUsage(ServeCommand.SPEC, new PrintWriter(out, true));
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    int at =
        lines.indexOf(
            "  --termination-log=PATH      Where a config refused at start is written as one");
    assertThat(at).as("in %s", lines).isPositive();
    assertThat(lines.get(at + 1))
        .isEqualTo(" ".repeat(30) + "line <field>: <error>, for the kubelet's");
  }

  @Test
  void theTopLevelPicksTheCommandOrSaysWhatIsWrong() {
    Probe p = new Probe();
    List<CliCommand> commands = List.of(p, new KeygenCommand());
    assertThat(
            Cli.run(
                commands,
                new PrintWriter(out),
                new PrintWriter(err),
                "probe",
                "--config",
                "c",
                "--b",
                "2"))
        .isEqualTo(7);
    assertThat(p.ran).isTrue();

    StringWriter e2 = new StringWriter();
    assertThat(Cli.run(commands, new PrintWriter(new StringWriter()), new PrintWriter(e2), "serve"))
        .isEqualTo(2);
    assertThat(e2.toString())
        .startsWith("peer-relay: unknown command 'serve'\n")
        .contains("  keygen");

    StringWriter e3 = new StringWriter();
    assertThat(Cli.run(commands, new PrintWriter(new StringWriter()), new PrintWriter(e3)))
        .isEqualTo(2);
    assertThat(e3.toString()).startsWith("peer-relay: name a command\n");

    StringWriter o4 = new StringWriter();
    assertThat(
            Cli.run(commands, new PrintWriter(o4), new PrintWriter(new StringWriter()), "--help"))
        .isZero();
    assertThat(o4.toString())
        .startsWith("Usage: peer-relay COMMAND [OPTIONS]\n")
        .contains("  probe   Probe the parser.\n")
        .contains("  keygen  Generate a relay key pair.\n")
        .contains("  -V, --version  Print version information and exit.\n");

    StringWriter o5 = new StringWriter();
    assertThat(Cli.run(commands, new PrintWriter(o5), new PrintWriter(new StringWriter()), "-V"))
        .isZero();
    assertThat(o5.toString()).isEqualTo("peer-relay dev\n");
  }

  @Test
  void theCommandListShowsEachDescriptionsFirstClause() {
    assertThat(Cli.summary("Run the relay: bind the UDP port.")).isEqualTo("Run the relay.");
    assertThat(Cli.summary("Generate a relay key pair.")).isEqualTo("Generate a relay key pair.");
    assertThat(Cli.summary("List (from /a.b) what runs")).isEqualTo("List (from /a.b) what runs");
  }

  @Test
  void versionAfterACommandPrintsTheVersion() {
    assertThat(run(new Probe(), "--version")).isZero();
    assertThat(out.toString()).isEqualTo("peer-relay dev\n");
  }

  @Test
  void anExceptionFromTheCommandExitsOneWithItsMessage() {
    CliCommand failing =
        new Probe() {
          @Override
          int call() {
            throw new IllegalStateException("the disk is on fire");
          }
        };
    assertThat(run(failing, "--config", "c", "--a", "1")).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("probe: failed: java.lang.IllegalStateException: the disk is on fire\n");
  }

  @Test
  void serveRefusesThreadsAndRecheckItCannotUse() {
    assertThat(run(new ServeCommand(), "--config", "c", "--threads", "0")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("serve: invalid value for option '--threads=N': '0' must be 1 or more\n");
    err.getBuffer().setLength(0);
    assertThat(run(new ServeCommand(), "--config", "c", "--recheck", "0s")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "serve: invalid value for option '--recheck=DURATION': '0s' must be more than 0\n");
  }
}
