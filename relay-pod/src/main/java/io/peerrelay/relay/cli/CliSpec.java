package io.peerrelay.relay.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command of {@code peer-relay} takes: its name, its description and its options, each
 * {@code --name VALUE}, {@code --name=VALUE} or a flag. Every command also takes {@code -h/--help}
 * and {@code -V/--version}.
 *
 * <p>The relay's own parser replaced picocli: picocli's 178 classes are compiled for Java 5, which
 * class-data sharing refuses, and building its model of every command by reflection took 100-180 ms
 * of each start (relay-pod/bench/side-by-side.md, part 9).
 */
final class CliSpec {
  /** One option; {@code paramLabel} is null for a flag. */
  record Option(
      String name, String paramLabel, String defaultValue, boolean required, String description) {
    boolean isFlag() {
      return paramLabel == null;
    }

    /** {@code --config=FILE}, or {@code --force} for a flag: as usage texts name it. */
    String synopsis() {
      return isFlag() ? name : name + "=" + paramLabel;
    }
  }

  private final String name;
  private final List<String> description;
  private final Map<String, Option> options = new LinkedHashMap<>();
  private final List<List<String>> exactlyOne = new ArrayList<>();

  private CliSpec(String name, List<String> description) {
    this.name = name;
    this.description = description;
  }

  /** A command named {@code name} (as typed after {@code peer-relay}). */
  static CliSpec command(String name, String... description) {
    return new CliSpec(name, List.of(description));
  }

  /** An option that takes a value; null {@code defaultValue} means none. */
  CliSpec option(String option, String paramLabel, String defaultValue, String description) {
    return add(new Option(option, paramLabel, defaultValue, false, description));
  }

  /** An option that takes a value and must be given. */
  CliSpec required(String option, String paramLabel, String description) {
    return add(new Option(option, paramLabel, null, true, description));
  }

  /** A flag: present or not, no value. */
  CliSpec flag(String option, String description) {
    return add(new Option(option, null, null, false, description));
  }

  /** Exactly one of these options (already declared) must be given. */
  CliSpec exactlyOneOf(String... names) {
    for (String n : names) {
      if (!options.containsKey(n)) {
        throw new IllegalArgumentException(n + " is not an option of " + name);
      }
    }
    exactlyOne.add(List.of(names));
    return this;
  }

  private CliSpec add(Option option) {
    if (!option.name().startsWith("--") || options.putIfAbsent(option.name(), option) != null) {
      throw new IllegalArgumentException("option " + option.name() + " of " + name);
    }
    return this;
  }

  String name() {
    return name;
  }

  List<String> description() {
    return description;
  }

  Option option(String name) {
    return options.get(name);
  }

  List<Option> options() {
    return List.copyOf(options.values());
  }

  List<List<String>> exactlyOneGroups() {
    return exactlyOne;
  }

  /** The group's options as usage texts name them, joined by {@code separator}. */
  String synopses(List<String> group, String separator) {
    return String.join(separator, group.stream().map(n -> options.get(n).synopsis()).toList());
  }
}
