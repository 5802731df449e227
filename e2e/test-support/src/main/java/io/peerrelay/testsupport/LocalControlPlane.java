package io.peerrelay.testsupport;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver and kube-controller-manager,
 * the binaries that e2e/tools/build.sh compiles from the pinned Go modules.
 *
 * <p>No kubelet runs: pods stay Pending. Garbage collection, StatefulSet pod creation, service
 * accounts, admission (Pod Security included), CRD schemas and CEL rules are the real ones.
 */
public final class LocalControlPlane implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final List<ManagedProcess> processes = new ArrayList<>();
  private String server;
  private String token;
  private String caPem;
  private String version;
  private KubernetesClient client;
  private final Thread shutdownHook = new Thread(this::stopProcesses, "control-plane-stop");

  private LocalControlPlane(Path dir) {
    this.dir = dir;
  }

  /** Starts a control plane whose files (logs, data, kubeconfig) live under {@code dir}. */
  public static LocalControlPlane start(Path dir) {
    LocalControlPlane cp = new LocalControlPlane(dir);
    Runtime.getRuntime().addShutdownHook(cp.shutdownHook);
    try {
      cp.startAll();
      return cp;
    } catch (RuntimeException | IOException | GeneralSecurityException e) {
      String logs = cp.tailLogs();
      cp.close();
      throw new IllegalStateException("the local control plane failed to start: " + e + logs, e);
    }
  }

  private void startAll() throws IOException, GeneralSecurityException {
    long t0 = System.nanoTime();
    ToolPaths tools = ToolPaths.locate();
    deleteRecursively(dir);
    Files.createDirectories(dir);

    EtcdProcess.Started etcd = EtcdProcess.start(tools.binary("etcd"), dir);
    processes.add(etcd.process());
    waitFor("etcd /health", () -> Probes.httpOk(etcd.clientUrl() + "/health", null));

    ApiServerProcess.Started api =
        ApiServerProcess.start(tools.binary("kube-apiserver"), dir, etcd.clientUrl());
    processes.add(api.process());
    server = api.server();
    token = api.token();
    waitFor("kube-apiserver /readyz", () -> Probes.httpOk(server + "/readyz", token));
    caPem = Files.readString(ApiServerProcess.caFile(api));
    Path kubeconfig = Files.writeString(kubeconfigPath(), kubeconfig());

    processes.add(
        ControllerManagerProcess.start(
            tools.binary("kube-controller-manager"), dir, kubeconfig, api));
    client = newClient();
    version = client.getKubernetesVersion().getGitVersion();
    // The controller manager is working once its service-account controller has created the
    // "default" ServiceAccount: that proves it reached the API server with working credentials.
    waitFor(
        "kube-controller-manager (default ServiceAccount)",
        () -> client.serviceAccounts().inNamespace("default").withName("default").get() != null);
    System.out.printf(
        "[control-plane] kube-apiserver %s (etcd, kube-controller-manager) ready at %s in %d ms;"
            + " kubeconfig %s%n",
        version, server, (System.nanoTime() - t0) / 1_000_000, kubeconfig);
  }

  /** A new client for this control plane, as the cluster administrator. */
  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(config()).build();
  }

  /** A fabric8 config for this control plane, as the cluster administrator. */
  public Config config() {
    return Config.fromKubeconfig(kubeconfig());
  }

  /** The shared administrator client; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Applies each CRD YAML (server-side, taking over fields another manager set) and waits until
   * every one is Established, so the next line of a test can create its objects.
   *
   * @param crdYamls one CRD per document; the caller closes the streams
   * @return the CRD names, in order
   */
  public List<String> applyCrds(List<InputStream> crdYamls) {
    List<String> names = new ArrayList<>();
    for (InputStream yaml : crdYamls) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
      client.resource(crd).forceConflicts().serverSideApply();
      names.add(crd.getMetadata().getName());
    }
    for (String name : names) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(name)
          .waitUntilCondition(LocalControlPlane::established, 60, TimeUnit.SECONDS);
    }
    return names;
  }

  private static boolean established(CustomResourceDefinition c) {
    return c != null
        && c.getStatus() != null
        && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  /** The kube-apiserver's reported gitVersion, e.g. {@code v1.34.4}. */
  public String version() {
    return version;
  }

  public String serverUrl() {
    return server;
  }

  public Path kubeconfigPath() {
    return dir.resolve("kubeconfig");
  }

  private String kubeconfig() {
    String ca = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: local\n"
        + "  cluster:\n"
        + "    server: "
        + server
        + "\n"
        + "    certificate-authority-data: "
        + ca
        + "\n"
        + "users:\n"
        + "- name: admin\n"
        + "  user:\n"
        + "    token: "
        + token
        + "\n"
        + "contexts:\n"
        + "- name: local\n"
        + "  context: {cluster: local, user: admin, namespace: default}\n"
        + "current-context: local\n";
  }

  private void waitFor(String what, BooleanSupplier ready) {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (ManagedProcess p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(p.name() + " exited while waiting for " + what);
        }
      }
      try {
        if (ready.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not up yet
      }
      sleep(200);
    }
    throw new IllegalStateException(what + " not ready after " + START_TIMEOUT.toSeconds() + " s");
  }

  private String tailLogs() {
    StringBuilder sb = new StringBuilder();
    for (ManagedProcess p : processes) {
      try {
        List<String> lines = Files.readAllLines(p.log());
        sb.append("\n--- last lines of ").append(p.log()).append(" ---\n");
        lines
            .subList(Math.max(0, lines.size() - 20), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("\n(no log ").append(p.log()).append(")");
      }
    }
    return sb.toString();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }

  private synchronized void stopProcesses() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop();
    }
    processes.clear();
  }

  /** Stops every process, in reverse start order. */
  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }
}
