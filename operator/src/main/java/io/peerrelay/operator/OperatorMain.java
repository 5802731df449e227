package io.peerrelay.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the operator process: settings, side ports, leader election, reconcilers. */
public final class OperatorMain {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings = OperatorSettings.from(System.getenv(), args);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    RelayOperator operator = RelayOperator.create(client, settings, registry);
    // The health port answers before leader election is won: a standby copy is alive and ready
    // (it is doing its job, waiting), otherwise a rollout of two copies would never complete.
    ProbeServer probes =
        ProbeServer.start(
            settings.healthPort(), settings.metricsPort(), () -> true, operator::healthy, registry);
    LOG.info(
        "starting watchNamespaces={} defaultRelayImage={} healthPort={} metricsPort={}"
            + " leaderElection={} lease={}/{}",
        settings.watchNamespaces().isEmpty() ? "*" : String.join(",", settings.watchNamespaces()),
        settings.defaultRelayImage(),
        probes.healthPort(),
        probes.metricsPort(),
        settings.leaderElection(),
        settings.leaseNamespace(),
        settings.leaseName());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping reason=signal");
                  operator.close();
                  probes.close();
                  stopped.countDown();
                },
                "operator-stop"));
    operator.start();
    stopped.await();
    // Give the log line above a moment to flush before the JVM exits.
    Thread.sleep(Duration.ofMillis(50).toMillis());
  }
}
