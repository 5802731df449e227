package io.peerrelay.relay.cli;

import org.eclipse.microprofile.config.ConfigProvider;

/** The program version, from the build (Quarkus records the Maven project version). */
public final class RelayVersion {
  private RelayVersion() {}

  /** The version text, or {@code dev} outside a Quarkus build (plain unit tests). */
  public static String text() {
    try {
      return ConfigProvider.getConfig()
          .getOptionalValue("quarkus.application.version", String.class)
          .orElse("dev");
    } catch (RuntimeException | LinkageError e) {
      return "dev";
    }
  }
}
