package io.peerrelay.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * kube-apiserver on loopback for the local control plane, with a static admin token and its own
 * service-account signing key.
 */
final class ApiServerProcess {

  private ApiServerProcess() {}

  /**
   * A started API server: its URL, the admin bearer token and the service-account private key (the
   * controller manager's token controller signs with the same key).
   */
  record Started(ManagedProcess process, String server, String token, Path saKey, Path certDir) {}

  static Started start(Path binary, Path dir, String etcdUrl)
      throws IOException, GeneralSecurityException {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    KeyPair sa = gen.generateKeyPair();
    Path saKey = write(dir, "sa.key", pem("PRIVATE KEY", sa.getPrivate().getEncoded()));
    Path saPub = write(dir, "sa.pub", pem("PUBLIC KEY", sa.getPublic().getEncoded()));

    byte[] raw = new byte[24];
    new SecureRandom().nextBytes(raw);
    String token = HexFormat.of().formatHex(raw);
    Path tokens =
        write(dir, "tokens.csv", token + ",peerrelay-admin,peerrelay-admin,system:masters\n");

    int port = Probes.freePort();
    Path certDir = dir.resolve("apiserver-certs");
    ManagedProcess p =
        ManagedProcess.start(
            "kube-apiserver",
            dir.resolve("kube-apiserver.log"),
            List.of(
                binary.toString(),
                "--etcd-servers=" + etcdUrl,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + port,
                "--cert-dir=" + certDir,
                "--token-auth-file=" + tokens,
                "--authorization-mode=Node,RBAC",
                "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file=" + saPub,
                "--service-account-signing-key-file=" + saKey,
                "--service-cluster-ip-range=10.96.0.0/16",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--profiling=false",
                "--v=0"));
    return new Started(p, "https://127.0.0.1:" + port, token, saKey, certDir);
  }

  /**
   * The API server generates a self-signed serving certificate and its CA in --cert-dir once it is
   * up; the bundle is what clients trust.
   */
  static Path caFile(Started s) {
    return s.certDir().resolve("apiserver.crt");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static Path write(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }
}
