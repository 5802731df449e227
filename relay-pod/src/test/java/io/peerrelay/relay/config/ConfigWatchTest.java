package io.peerrelay.relay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatchTest {
  @TempDir Path dir;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  private Runnable recordContentOf(Path file) {
    return () -> {
      try {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(content)) {
          seen.add(content);
        }
      } catch (java.io.IOException e) {
        seen.add("unreadable");
      }
    };
  }

  @Test
  void seesAKubernetesSymlinkSwapSoonWithoutWaitingForTheRecheck() throws Exception {
    KubernetesMount mount = new KubernetesMount(dir);
    Path file = mount.publish("relay.yaml", "one");
    ConfigWatch watch =
        ConfigWatch.start(
            Set.of(file), recordContentOf(file), Duration.ofMillis(50), Duration.ofMinutes(10));
    try {
      mount.publish("relay.yaml", "two");

      await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("two"));
      mount.publish("relay.yaml", "three");
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("three"));
    } finally {
      watch.close();
    }
    assertThat(seen).containsExactly("two", "three");
  }

  @Test
  void aBurstOfWritesIsOneCheck() throws Exception {
    Path file = dir.resolve("relay.yaml");
    Files.writeString(file, "start");
    List<Long> checks = new CopyOnWriteArrayList<>();
    ConfigWatch watch =
        ConfigWatch.start(
            Set.of(file),
            () -> checks.add(System.nanoTime()),
            Duration.ofMillis(300),
            Duration.ofMinutes(10));
    try {
      for (int i = 0; i < 10; i++) {
        Files.writeString(file, "write " + i);
        Thread.sleep(20);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> !checks.isEmpty());
      Thread.sleep(600);
    } finally {
      watch.close();
    }
    assertThat(checks).hasSize(1);
  }

  @Test
  void rechecksPeriodicallyWithoutAnyEvent() throws Exception {
    Path file = dir.resolve("relay.yaml");
    Files.writeString(file, "start");
    List<Long> checks = new CopyOnWriteArrayList<>();
    ConfigWatch watch =
        ConfigWatch.start(
            Set.of(file),
            () -> checks.add(System.nanoTime()),
            Duration.ofMillis(50),
            Duration.ofMillis(100));
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() >= 3);
    } finally {
      watch.close();
    }
  }

  @Test
  void watchesTheFoldersOfBothFiles() throws Exception {
    Path configFolder = Files.createDirectory(dir.resolve("config"));
    Path keyFolder = Files.createDirectory(dir.resolve("key"));
    Path keyFile = new KubernetesMount(keyFolder).publish("private.key", "k1");
    KubernetesMount keyMount = new KubernetesMount(keyFolder);
    ConfigWatch watch =
        ConfigWatch.start(
            Set.of(configFolder.resolve("relay.yaml"), keyFile),
            recordContentOf(keyFile),
            Duration.ofMillis(50),
            Duration.ofMinutes(10));
    try {
      Files.writeString(keyFolder.resolve("unrelated"), "x");
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("k1"));
      keyMount.publish("private.key", "k2");
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("k2"));
    } finally {
      watch.close();
    }
  }

  @Test
  void aThrowingCheckDoesNotStopTheWatch() throws Exception {
    Path file = dir.resolve("relay.yaml");
    Files.writeString(file, "start");
    List<Long> checks = new CopyOnWriteArrayList<>();
    ConfigWatch watch =
        ConfigWatch.start(
            Set.of(file),
            () -> {
              checks.add(1L);
              throw new IllegalStateException("bug");
            },
            Duration.ofMillis(20),
            Duration.ofMillis(50));
    try {
      await().atMost(Duration.ofSeconds(5)).until(() -> checks.size() >= 3);
    } finally {
      watch.close();
    }
  }
}
