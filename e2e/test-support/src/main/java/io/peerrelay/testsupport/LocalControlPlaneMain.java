package io.peerrelay.testsupport;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the local control plane from the command line until Ctrl-C (used by e2e/quickstart.sh).
 *
 * <p>Usage: {@code LocalControlPlaneMain <dir>}; prints the kubeconfig path and the API server
 * version, and writes {@code <dir>/ready} once everything is up so scripts can wait for it.
 */
public final class LocalControlPlaneMain {

  private LocalControlPlaneMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "target/quickstart").toAbsolutePath();
    CountDownLatch stop = new CountDownLatch(1);
    try (LocalControlPlane cp = LocalControlPlane.start(dir)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
      java.nio.file.Files.writeString(dir.resolve("ready"), cp.version() + "\n");
      System.out.println("kube-apiserver " + cp.version() + " at " + cp.serverUrl());
      System.out.println("export KUBECONFIG=" + cp.kubeconfigPath());
      System.out.println("Press Ctrl-C to stop the control plane.");
      stop.await();
    }
  }
}
