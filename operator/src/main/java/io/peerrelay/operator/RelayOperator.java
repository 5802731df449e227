package io.peerrelay.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.operator.observe.Endpoints;
import io.peerrelay.operator.observe.Resolver;
import io.peerrelay.operator.reconciler.PeerRelayReconciler;
import io.peerrelay.operator.reconciler.RelayGrantReconciler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK operator with both reconcilers registered, built the same way by {@link OperatorMain}
 * and by the integration tests (which run it in-process against a real API server).
 */
public final class RelayOperator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RelayOperator.class);

  private final Operator operator;

  /** Set by {@link #close()}: losing the Lease because we let it go is not a failure. */
  private final AtomicBoolean closing;

  /** With leader election: waits for the Lease's namespace before starting; else null. */
  private final LeaseNamespaceGate gate;

  private RelayOperator(Operator operator, AtomicBoolean closing, LeaseNamespaceGate gate) {
    this.operator = operator;
    this.closing = closing;
    this.gate = gate;
  }

  /** An operator on {@code client}; call {@link #start()} to begin reconciling. */
  public static RelayOperator create(
      KubernetesClient client, OperatorSettings settings, MeterRegistry registry) {
    return create(client, settings, registry, Resolver.system());
  }

  /** As {@link #create(KubernetesClient, OperatorSettings, MeterRegistry)} with a DNS seam. */
  public static RelayOperator create(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry registry,
      Resolver resolver) {
    AtomicBoolean closing = new AtomicBoolean();
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  // JOSDK leaves ConfigMaps and Secrets out of server-side apply by default; the
                  // relay config and key are ours alone, so apply them like everything else.
                  .withDefaultNonSSAResource(Set.of());
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        settings.leaseName(),
                        settings.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity(),
                        new LeaderCallbacks(() -> {}, () -> leadershipLost(closing), leader -> {}),
                        // JOSDK's own exit would also fire on a deliberate stop, and System.exit
                        // from a shutdown hook (SIGTERM) blocks forever: decide ourselves.
                        false));
              }
            });
    operator.register(
        new PeerRelayReconciler(
            settings.defaultRelayImage(), new Endpoints(resolver), Clock.systemUTC(), registry),
        c -> watch(c, settings.watchNamespaces()));
    operator.register(
        new RelayGrantReconciler(Clock.systemUTC()), c -> watch(c, settings.watchNamespaces()));
    return new RelayOperator(
        operator,
        closing,
        settings.leaderElection()
            ? new LeaseNamespaceGate(client, settings.leaseNamespace(), settings.leaseName())
            : null);
  }

  /**
   * Exits when the Lease is lost while running: another copy now reconciles, and two copies
   * applying the same children would fight. Kubernetes restarts the pod as a standby.
   */
  private static void leadershipLost(AtomicBoolean closing) {
    if (!closing.get()) {
      LOG.error("leadership-lost action=exit");
      System.exit(1);
    }
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> void watch(
      ControllerConfigurationOverrider<R> c, Set<String> namespaces) {
    if (namespaces.isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(namespaces);
    }
  }

  /**
   * The Lease holder identity: the pod name (downward API) or host name, plus a random suffix as
   * kube-controller-manager does, so two copies can never mistake each other for themselves.
   */
  private static String identity() {
    String host =
        Optional.ofNullable(System.getenv("POD_NAME"))
            .orElseGet(
                () -> {
                  try {
                    return InetAddress.getLocalHost().getHostName();
                  } catch (UnknownHostException e) {
                    return "peerrelay-operator";
                  }
                });
    return host + "_" + UUID.randomUUID();
  }

  /**
   * Starts the informers and, once leader (or at once without election), the reconcilers. With
   * leader election it first waits (blocking, until {@link #close()}) for the Lease's namespace.
   */
  public void start() {
    if (gate != null && !gate.await(closing)) {
      return;
    }
    operator.start();
  }

  /** Why the operator is not starting (the Lease namespace is missing), or null. */
  public String leaseNamespaceProblem() {
    return gate == null ? null : gate.problem();
  }

  /** Whether the operator is started and every informer is healthy (the readiness probe). */
  public boolean healthy() {
    return operator.getRuntimeInfo().isStarted()
        && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    closing.set(true);
    if (!operator.getRuntimeInfo().isStarted()) {
      return; // Still waiting for the Lease namespace: nothing runs yet.
    }
    operator.stop();
  }
}
