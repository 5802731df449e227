package io.peerrelay.relay.cli;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Drains the running relay when Quarkus shuts down (SIGTERM, SIGINT).
 *
 * <p>Draining in Quarkus' own shutdown event, rather than in a JVM shutdown hook of our own, keeps
 * logging alive until the relay has stopped: a separate hook races Quarkus' shutdown, which closes
 * the log handlers while the drain is still running.
 */
@ApplicationScoped
public class ShutdownDrain {
  private volatile RunningRelay relay;

  void drainAtShutdown(RunningRelay running) {
    this.relay = running;
  }

  void onShutdown(@Observes ShutdownEvent event) {
    RunningRelay running = relay;
    if (running != null) {
      running.drainAndStop();
    }
  }
}
