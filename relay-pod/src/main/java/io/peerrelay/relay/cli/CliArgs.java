package io.peerrelay.relay.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A command line parsed against a {@link CliSpec}: the options given, typed on demand. */
final class CliArgs {
  /** A command line that does not fit the command; the message names the option and the fix. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** What the command line asked for besides running the command. */
  enum Request {
    RUN,
    HELP,
    VERSION
  }

  private final CliSpec spec;
  private final Map<String, String> given;
  private final Request request;

  private CliArgs(CliSpec spec, Map<String, String> given, Request request) {
    this.spec = spec;
    this.given = given;
    this.request = request;
  }

  /**
   * Parses {@code args} (the words after the command's name).
   *
   * @throws UsageException for an unknown, repeated or incomplete option, a missing required one,
   *     or a word that is not an option
   */
  static CliArgs parse(CliSpec spec, List<String> args) {
    Map<String, String> given = new HashMap<>();
    Request request = Request.RUN;
    for (int i = 0; i < args.size(); i++) {
      String word = args.get(i);
      if (word.equals("-h") || word.equals("--help")) {
        request = Request.HELP;
        continue;
      }
      if (word.equals("-V") || word.equals("--version")) {
        request = request == Request.HELP ? request : Request.VERSION;
        continue;
      }
      if (!word.startsWith("--")) {
        throw new UsageException(
            "unexpected argument '" + word + "': " + spec.name() + " takes only --options");
      }
      int eq = word.indexOf('=');
      String name = eq < 0 ? word : word.substring(0, eq);
      CliSpec.Option option = spec.option(name);
      if (option == null) {
        throw new UsageException("unknown option '" + name + "'");
      }
      String value;
      if (option.isFlag()) {
        if (eq >= 0) {
          throw new UsageException("option '" + name + "' is a flag and takes no value");
        }
        value = "true";
      } else if (eq >= 0) {
        value = word.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new UsageException("option '" + option.synopsis() + "' needs a value");
      }
      if (given.put(name, value) != null) {
        throw new UsageException("option '" + name + "' is given more than once");
      }
    }
    if (request == Request.RUN) {
      for (CliSpec.Option option : spec.options()) {
        if (option.required() && !given.containsKey(option.name())) {
          throw new UsageException("missing required option '" + option.synopsis() + "'");
        }
      }
      for (List<String> group : spec.exactlyOneGroups()) {
        long count = group.stream().filter(given::containsKey).count();
        if (count != 1) {
          throw new UsageException(
              (count == 0 ? "give one of " : "give only one of ") + spec.synopses(group, ", "));
        }
      }
    }
    return new CliArgs(spec, given, request);
  }

  Request request() {
    return request;
  }

  /** Whether the option was on the command line (a default does not count). */
  boolean has(String name) {
    known(name);
    return given.containsKey(name);
  }

  /** The option's value, its default when it was not given, or null. */
  String text(String name) {
    CliSpec.Option option = known(name);
    String value = given.get(name);
    return value != null ? value : option.defaultValue();
  }

  /** Whether a flag was given. */
  boolean flag(String name) {
    return known(name).isFlag() && given.containsKey(name);
  }

  /**
   * The option's value converted by {@code convert}, or null when neither given nor defaulted.
   *
   * @throws UsageException naming the option and the value when {@code convert} refuses it (an
   *     {@link IllegalArgumentException}, whose message says why)
   */
  <T> T value(String name, Function<String, T> convert) {
    String text = text(name);
    if (text == null) {
      return null;
    }
    try {
      return convert.apply(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "invalid value for option '" + known(name).synopsis() + "': '" + text + "' " + why(e));
    }
  }

  Path path(String name) {
    return value(name, Path::of);
  }

  Integer integer(String name) {
    return value(name, Integer::valueOf);
  }

  Double decimal(String name) {
    return value(name, Double::valueOf);
  }

  /** A whole number of at least 1, or null when neither given nor defaulted. */
  Integer positiveInteger(String name) {
    return value(name, CliArgs::positive);
  }

  private static Integer positive(String text) {
    int n = Integer.parseInt(text);
    if (n < 1) {
      throw new IllegalArgumentException("must be 1 or more");
    }
    return n;
  }

  private static String why(IllegalArgumentException e) {
    if (e instanceof NumberFormatException) {
      return "is not a number";
    }
    if (e instanceof InvalidPathException) {
      return "is not a path (" + e.getMessage() + ")";
    }
    return e.getMessage() == null ? "is not valid" : e.getMessage();
  }

  private CliSpec.Option known(String name) {
    CliSpec.Option option = spec.option(name);
    if (option == null) {
      throw new IllegalArgumentException(name + " is not an option of " + spec.name());
    }
    return option;
  }
}
