package io.peerrelay.relay.config;

import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.metrics.ReloadResult;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Decides what a changed config or key file means for the running relay: apply it live, reject it
 * and keep the last good config, or say that it needs a restart.
 *
 * <p>Each change is judged once: the bytes last seen are remembered, so a rejected file is logged
 * and counted once, not at every periodic re-check.
 */
public final class ConfigReload {
  private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());

  private final Path configFile;
  private final DiscoPrivateKey runningKey;
  private final Consumer<RelaySettings> apply;
  private final RelayMetrics metrics;
  private volatile RelayConfig current;
  private byte[] lastConfigBytes;
  private byte[] lastKeyBytes;

  /**
   * @param configFile the file the relay started from
   * @param started the config in force now
   * @param runningKey the key the relay runs with (a different key needs a restart)
   * @param apply hands new settings to the core without dropping sessions
   */
  public ConfigReload(
      Path configFile,
      RelayConfig started,
      DiscoPrivateKey runningKey,
      Consumer<RelaySettings> apply,
      RelayMetrics metrics) {
    this.configFile = configFile;
    this.current = started;
    this.runningKey = runningKey;
    this.apply = apply;
    this.metrics = metrics;
    this.lastConfigBytes = bytesOf(configFile);
    this.lastKeyBytes = bytesOf(started.keyFile());
  }

  /** The config in force: the one the relay started with or the last one applied. */
  public RelayConfig current() {
    return current;
  }

  /** Re-reads both files and acts on what changed since the last call. */
  public synchronized void check() {
    byte[] configBytes = bytesOf(configFile);
    if (!Arrays.equals(configBytes, lastConfigBytes)) {
      lastConfigBytes = configBytes;
      judgeConfig();
    }
    byte[] keyBytes = bytesOf(current.keyFile());
    if (!Arrays.equals(keyBytes, lastKeyBytes)) {
      lastKeyBytes = keyBytes;
      judgeKey();
    }
  }

  private void judgeConfig() {
    RelayConfig next;
    try {
      next = RelayConfigFile.read(configFile);
    } catch (InvalidConfigException e) {
      LOG.warning(
          "config " + configFile + " rejected, keeping the last good config: " + e.getMessage());
      metrics.configReload(ReloadResult.ERROR);
      return;
    }
    String restartReason = next.restartReasonComparedTo(current);
    if (restartReason != null) {
      LOG.warning(
          "config "
              + configFile
              + ": "
              + restartReason
              + "; restart the relay to use it (nothing of this version applied)");
      metrics.configReload(ReloadResult.RESTART_REQUIRED);
      return;
    }
    RelayConfig previous = current;
    try {
      apply.accept(next.settings());
    } catch (RuntimeException e) {
      LOG.warning(
          "config "
              + configFile
              + " rejected by the relay core, keeping the last good config: "
              + e.getMessage());
      metrics.configReload(ReloadResult.ERROR);
      return;
    }
    current = next;
    metrics.settingsInForce(next.settings());
    metrics.configReload(ReloadResult.OK);
    LOG.info(
        "config "
            + configFile
            + " applied: "
            + next.advertisedEndpoints().size()
            + " advertised endpoints (was "
            + previous.advertisedEndpoints().size()
            + "), "
            + next.allowedClientKeys().size()
            + " granted keys (was "
            + previous.allowedClientKeys().size()
            + ")");
  }

  private void judgeKey() {
    Path keyFile = current.keyFile();
    DiscoPrivateKey next;
    try {
      next = ServerKeyFile.read(keyFile);
    } catch (InvalidConfigException e) {
      LOG.warning(e.getMessage() + "; still serving with " + runningKey.publicKey());
      metrics.configReload(ReloadResult.ERROR);
      return;
    }
    if (next.publicKey().equals(runningKey.publicKey())) {
      return; // same key, rewritten (for example a Secret re-mounted with the same data)
    }
    LOG.warning(
        "keyFile "
            + keyFile
            + " now holds "
            + next.publicKey()
            + "; restart the relay to use it (a new identity live would break every session),"
            + " still serving with "
            + runningKey.publicKey());
    metrics.configReload(ReloadResult.RESTART_REQUIRED);
  }

  /** The file's bytes, or null if it cannot be read now (a swap in progress, a missing file). */
  private static byte[] bytesOf(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      return null;
    }
  }
}
