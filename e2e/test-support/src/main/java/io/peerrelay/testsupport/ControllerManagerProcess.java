package io.peerrelay.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * kube-controller-manager on loopback for the local control plane: garbage collection,
 * StatefulSets, service accounts and their tokens (signed with the API server's key).
 */
final class ControllerManagerProcess {

  private ControllerManagerProcess() {}

  static ManagedProcess start(Path binary, Path dir, Path kubeconfig, ApiServerProcess.Started api)
      throws IOException {
    return ManagedProcess.start(
        "kube-controller-manager",
        dir.resolve("kube-controller-manager.log"),
        List.of(
            binary.toString(),
            "--kubeconfig=" + kubeconfig,
            "--authentication-kubeconfig=" + kubeconfig,
            "--authorization-kubeconfig=" + kubeconfig,
            "--bind-address=127.0.0.1",
            "--secure-port=" + Probes.freePort(),
            "--cert-dir=" + dir.resolve("kcm-certs"),
            "--leader-elect=false",
            "--use-service-account-credentials=false",
            "--service-account-private-key-file=" + api.saKey(),
            "--root-ca-file=" + ApiServerProcess.caFile(api),
            "--cluster-name=peerrelay-test",
            "--v=0"));
  }
}
