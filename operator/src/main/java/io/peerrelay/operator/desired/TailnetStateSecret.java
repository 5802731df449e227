package io.peerrelay.operator.desired;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerrelay.operator.api.PeerRelay;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The Secret holding replica {@code i}'s tailnet node state: its machine key and node key, each one
 * line {@code privkey:<64 hex>} (Tailscale's text form of a Curve25519 private key). Built once
 * with fresh random keys: the node's identity in the tailnet must survive restarts, so the operator
 * never regenerates, replaces or deletes it (only garbage collection with the PeerRelay removes
 * it).
 */
public final class TailnetStateSecret {

  /** Text prefix of a node or machine private key. */
  public static final String PRIVATE_PREFIX = "privkey:";

  /** Annotation: the node's public key ({@code nodekey:<hex>}), for people and tests. */
  public static final String ANNOTATION_NODE_KEY = "peerrelay.io/node-key";

  /** Annotation: the machine's public key ({@code mkey:<hex>}). */
  public static final String ANNOTATION_MACHINE_KEY = "peerrelay.io/machine-key";

  private static final HexFormat HEX = HexFormat.of();

  private TailnetStateSecret() {}

  /** The node-state Secret of replica {@code index}, with keys from {@code random}. */
  public static Secret tailnetStateSecret(PeerRelay relay, int index, SecureRandom random) {
    byte[] machine = RelayKeys.newPrivateKey(random);
    byte[] node = RelayKeys.newPrivateKey(random);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(Names.tailnetState(relay, index))
            .withNamespace(relay.getMetadata().getNamespace())
            .withLabels(Names.secretLabels(relay, index))
            .addToAnnotations(ANNOTATION_MACHINE_KEY, "mkey:" + HEX.formatHex(publicOf(machine)))
            .addToAnnotations(ANNOTATION_NODE_KEY, "nodekey:" + HEX.formatHex(publicOf(node)))
            .endMetadata()
            .withType("Opaque")
            // data, not stringData (see RelaySecret); one key per line.
            .addToData(Names.TAILNET_MACHINE_KEY, line(machine))
            .addToData(Names.TAILNET_NODE_KEY, line(node))
            .build();
    Owners.own(secret, relay);
    return secret;
  }

  private static byte[] publicOf(byte[] privateKey) {
    return RelayKeys.publicKey(privateKey);
  }

  private static String line(byte[] privateKey) {
    String text = PRIVATE_PREFIX + HEX.formatHex(privateKey) + "\n";
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
