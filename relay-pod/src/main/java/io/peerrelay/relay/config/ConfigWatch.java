package io.peerrelay.relay.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a check whenever something changes in the folders of the watched files, and every {@code
 * recheck} in any case.
 *
 * <p>Kubernetes updates a mounted ConfigMap or Secret by writing a new timestamped folder and
 * renaming a {@code ..data} symlink over the old one, so the file itself is never written and a
 * watch on the file would miss the change: we watch the folder and re-read on any event. Events
 * come in bursts (create, rename, delete), so the check waits until the folder has been quiet for
 * {@code debounce}. The periodic check covers what inotify cannot see (a folder replaced wholesale,
 * a network file system, a dropped event queue).
 */
public final class ConfigWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ConfigWatch.class.getName());

  /** A burst of events never delays a check longer than this. */
  private static final Duration MAX_DELAY = Duration.ofSeconds(2);

  private final WatchService watcher;
  private final Thread thread;
  private volatile boolean running = true;

  private ConfigWatch(WatchService watcher, Runnable check, Duration debounce, Duration recheck) {
    this.watcher = watcher;
    this.thread = new Thread(() -> loop(check, debounce, recheck), "config-watch");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching the folders that hold {@code files}; {@code check} runs on the watch thread,
   * never twice at once.
   *
   * @throws IOException if a folder cannot be watched
   */
  public static ConfigWatch start(
      Set<Path> files, Runnable check, Duration debounce, Duration recheck) throws IOException {
    WatchService watcher = FileSystems.getDefault().newWatchService();
    try {
      Set<Path> folders = new LinkedHashSet<>();
      for (Path file : files) {
        folders.add(file.toAbsolutePath().getParent());
      }
      for (Path folder : folders) {
        folder.register(
            watcher,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    ConfigWatch watch = new ConfigWatch(watcher, check, debounce, recheck);
    watch.thread.start();
    return watch;
  }

  private void loop(Runnable check, Duration debounce, Duration recheck) {
    try {
      while (running) {
        WatchKey key = watcher.poll(recheck.toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
          consume(key);
          waitForQuiet(debounce);
        }
        if (running) {
          runSafely(check);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: the relay is stopping
    }
  }

  private void waitForQuiet(Duration debounce) throws InterruptedException {
    long deadline = System.nanoTime() + MAX_DELAY.toNanos();
    WatchKey more;
    while (System.nanoTime() < deadline
        && (more = watcher.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
      consume(more);
    }
  }

  private static void consume(WatchKey key) {
    key.pollEvents(); // which file changed does not matter: the check re-reads both
    key.reset();
  }

  private static void runSafely(Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) {
      // A bug in one check must not end watching for the life of the relay.
      LOG.log(Level.SEVERE, "config check failed", e);
    }
  }

  /** Stops watching and waits for a running check to finish. Idempotent. */
  @Override
  public void close() {
    running = false;
    try {
      watcher.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "closing the watch service", e);
    }
    if (Thread.currentThread() != thread) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
