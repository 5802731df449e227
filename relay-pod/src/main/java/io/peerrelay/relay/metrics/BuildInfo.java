package io.peerrelay.relay.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Info;

/** {@code peerrelay_build_info{version,java}} = 1: which build a scraped relay runs. */
final class BuildInfo {
  private BuildInfo() {}

  /**
   * Registers the info metric directly with the Prometheus registry: Micrometer has no info type,
   * and a Micrometer gauge whose name ends in {@code _info} loses that suffix in the exposition.
   */
  static void register(PrometheusMeterRegistry registry, String version) {
    Info info =
        Info.builder()
            .name("peerrelay_build_info")
            .help("Version of the relay program and the Java runtime it runs on")
            .labelNames("version", "java")
            .register(registry.getPrometheusRegistry());
    info.setLabelValues(version, Runtime.version().toString());
  }
}
