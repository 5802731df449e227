package io.peerrelay.operator.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.peerrelay.operator.OperatorSettings;
import io.peerrelay.operator.RelayOperator;
import io.peerrelay.testsupport.ControlPlaneExtension;
import io.peerrelay.testsupport.LocalControlPlane;
import io.peerrelay.testsupport.ToolPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The operator ITs' set-up, as a JUnit 5 extension: before the class, the JVM-wide real control
 * plane ({@link ControlPlaneExtension}) with the committed CRDs installed and, for {@link
 * #operator()}, one in-process operator, stopped after the class; a fresh namespace per test so
 * tests never see each other's objects.
 *
 * <pre>
 * {@code @RegisterExtension static final OperatorHarness harness = OperatorHarness.operator();}
 * </pre>
 */
final class OperatorHarness implements BeforeAllCallback, AfterAllCallback {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  private final boolean withOperator;
  private LocalControlPlane controlPlane;
  private KubernetesClient operatorClient;
  private RelayOperator operator;

  private OperatorHarness(boolean withOperator) {
    this.withOperator = withOperator;
  }

  /** Installs the CRDs and runs an operator watching all namespaces for the test class. */
  static OperatorHarness operator() {
    return new OperatorHarness(true);
  }

  /** Installs the CRDs but starts no operator (for tests that build their own). */
  static OperatorHarness crdsOnly() {
    return new OperatorHarness(false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    controlPlane = ControlPlaneExtension.controlPlane(context);
    installCrds(controlPlane);
    if (withOperator) {
      startOperator();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopOperator();
  }

  /** The control plane's admin client. */
  KubernetesClient client() {
    return controlPlane.client();
  }

  /** The JVM-wide control plane. */
  LocalControlPlane controlPlane() {
    return controlPlane;
  }

  /** Applies every CRD in the project's {@code crds/} folder and waits until each is served. */
  static void installCrds(LocalControlPlane cp) {
    List<InputStream> yamls = new ArrayList<>();
    try {
      for (Path file : crdFiles()) {
        yamls.add(Files.newInputStream(file));
      }
      cp.applyCrds(yamls);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (InputStream in : yamls) {
        try {
          in.close();
        } catch (IOException e) {
          // Nothing was written through these streams: a failed close loses nothing.
        }
      }
    }
  }

  /**
   * The committed CRDs ({@code crds/}, what users install); CrdDriftTest keeps them equal to the
   * ones generated from the Java types. Falls back to this build's generated copy only while the
   * committed folder is still empty.
   */
  private static List<Path> crdFiles() {
    List<Path> files = yamlIn(projectRoot().resolve("crds"));
    if (files.isEmpty()) {
      files =
          yamlIn(
              Path.of(
                  System.getProperty("peerrelay.buildDir", "target"), "classes/META-INF/fabric8"));
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no CRD YAML in crds/ nor in the build output");
    }
    return files;
  }

  private static List<Path> yamlIn(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root, found the one way the whole test suite finds it. */
  static Path projectRoot() {
    return ToolPaths.projectRoot();
  }

  /** Starts a new operator with its own client, as a restarted operator process would. */
  void startOperator() {
    operatorClient = controlPlane.newClient();
    operator =
        RelayOperator.create(
            operatorClient,
            // All namespaces, no leader election: one operator per test class, nothing to elect.
            new OperatorSettings(
                Set.of(), OperatorSettings.DEFAULT_RELAY_IMAGE, 0, 0, false, "unused", "unused"),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    operator.start();
  }

  /** Stops the operator (its informers and reconcilers) and closes its client. */
  void stopOperator() {
    if (operator != null) {
      operator.close();
      operatorClient.close();
      operator = null;
    }
  }

  /** A new namespace with {@code labels}; its name starts with {@code prefix}. */
  String newNamespace(String prefix, Map<String, String> labels) {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet();
    client()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    return name;
  }

  String newNamespace(String prefix) {
    return newNamespace(prefix, Map.of());
  }

  /** Creates {@code resource} in {@code namespace}. */
  <T extends HasMetadata> T create(String namespace, T resource) {
    return client().resource(resource).inNamespace(namespace).create();
  }
}
