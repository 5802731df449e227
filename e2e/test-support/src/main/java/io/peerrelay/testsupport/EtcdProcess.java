package io.peerrelay.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** etcd on loopback for the local control plane: one member, no fsync (test data only). */
final class EtcdProcess {

  private EtcdProcess() {}

  /** A started etcd and the client URL the API server talks to. */
  record Started(ManagedProcess process, String clientUrl) {}

  static Started start(Path binary, Path dir) throws IOException {
    int client = Probes.freePort();
    int peer = Probes.freePort();
    String clientUrl = "http://127.0.0.1:" + client;
    String peerUrl = "http://127.0.0.1:" + peer;
    ManagedProcess p =
        ManagedProcess.start(
            "etcd",
            dir.resolve("etcd.log"),
            List.of(
                binary.toString(),
                "--name=default",
                "--data-dir=" + dir.resolve("etcd-data"),
                "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=default=" + peerUrl,
                "--unsafe-no-fsync=true",
                "--log-level=warn"));
    return new Started(p, clientUrl);
  }
}
