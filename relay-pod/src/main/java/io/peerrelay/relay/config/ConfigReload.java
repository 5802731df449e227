package io.peerrelay.relay.config;

import io.peerrelay.relay.core.RelaySettings;
import io.peerrelay.relay.metrics.RelayMetrics;
import io.peerrelay.relay.metrics.ReloadResult;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Decides what a changed config or key file means for the running relay: apply it live, reject it
 * and keep the last good config, or say that it needs a restart.
 *
 * <p>Each change is judged once: the bytes last seen are remembered, so a rejected file is logged
 * and counted once, not at every periodic re-check. Each version of a file is read once (through
 * {@link FileSource}) and parsed, hashed and compared from those bytes, so what {@link #status()}
 * reports is exactly what was judged.
 */
public final class ConfigReload {
  private static final Logger LOG = Logger.getLogger(ConfigReload.class.getName());

  private final Path configFile;
  private final FileSource source;
  private final Clock clock;
  private final DiscoPrivateKey runningKey;
  private final RelayMetrics metrics;
  private volatile Consumer<RelaySettings> apply = settings -> {};
  private volatile RelayConfig current;
  private volatile ConfigStatus status;
  private byte[] lastConfigBytes;
  private byte[] lastKeyBytes;

  /**
   * Reads the config file and its key file once each: the config and key the relay starts with.
   *
   * @throws InvalidConfigException if either cannot be used (the relay cannot start)
   */
  public ConfigReload(Path configFile, FileSource source, Clock clock, RelayMetrics metrics)
      throws InvalidConfigException {
    this.configFile = configFile;
    this.source = source;
    this.clock = clock;
    this.metrics = metrics;
    this.lastConfigBytes = readOrThrow(configFile);
    this.current = RelayConfigFile.parse(lastConfigBytes, configFile);
    this.lastKeyBytes = ServerKeyFile.readBytes(current.keyFile(), source);
    this.runningKey = ServerKeyFile.parse(lastKeyBytes, current.keyFile());
    this.status = new ConfigStatus(applied(lastConfigBytes), null);
  }

  private byte[] readOrThrow(Path file) throws InvalidConfigException {
    try {
      return source.read(file);
    } catch (IOException e) {
      throw RelayConfigFile.unreadable(e);
    }
  }

  /** Where applied settings go (the core, tailnet mode); set before the first {@link #check}. */
  public void applyTo(Consumer<RelaySettings> apply) {
    this.apply = apply;
  }

  /** The config in force: the one the relay started with or the last one applied. */
  public RelayConfig current() {
    return current;
  }

  /** The key the relay started with (a different key needs a restart). */
  public DiscoPrivateKey runningKey() {
    return runningKey;
  }

  /** What is in force and what, if anything, was refused last. */
  public ConfigStatus status() {
    return status;
  }

  /** Re-reads both files and acts on what changed since the last call. */
  public synchronized void check() {
    byte[] configBytes = bytesOf(configFile);
    if (configBytes != null && !Arrays.equals(configBytes, lastConfigBytes)) {
      lastConfigBytes = configBytes;
      judgeConfig(configBytes);
    }
    byte[] keyBytes = bytesOf(current.keyFile());
    if (!Arrays.equals(keyBytes, lastKeyBytes)) {
      lastKeyBytes = keyBytes;
      judgeKey(keyBytes);
    }
  }

  private void judgeConfig(byte[] bytes) {
    RelayConfig next;
    try {
      next = RelayConfigFile.parse(bytes, configFile);
    } catch (InvalidConfigException e) {
      LOG.warning(
          "config " + configFile + " rejected, keeping the last good config: " + e.getMessage());
      refuse(bytes, ConfigRefusal.of(e), ReloadResult.ERROR);
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
      refuse(
          bytes,
          new ConfigRefusal(
              next.restartFieldComparedTo(current),
              restartReason + "; restart the relay to use it"),
          ReloadResult.RESTART_REQUIRED);
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
      refuse(bytes, new ConfigRefusal("", String.valueOf(e.getMessage())), ReloadResult.ERROR);
      return;
    }
    current = next;
    status = new ConfigStatus(applied(bytes), null);
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

  private ConfigStatus.Applied applied(byte[] bytes) {
    return new ConfigStatus.Applied(RelayConfigFile.sha256(bytes), now());
  }

  private void refuse(byte[] bytes, ConfigRefusal refusal, ReloadResult result) {
    status =
        new ConfigStatus(
            status.applied(),
            new ConfigStatus.Rejected(
                RelayConfigFile.sha256(bytes), refusal.field(), refusal.error(), now()));
    metrics.configReload(result);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private void judgeKey(byte[] bytes) {
    Path keyFile = current.keyFile();
    DiscoPrivateKey next;
    try {
      if (bytes == null) {
        throw new InvalidConfigException("keyFile " + keyFile + ": cannot read it");
      }
      next = ServerKeyFile.parse(bytes, keyFile);
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
  private byte[] bytesOf(Path file) {
    try {
      return source.read(file);
    } catch (IOException e) {
      return null;
    }
  }
}
