package io.peerrelay.operator.it;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Test objects: PeerRelays, RelayGrants and key Secrets with only what a test cares about. */
final class Fixtures {

  private Fixtures() {}

  static PeerRelay relay(String name, int replicas, ExposureType type, Map<String, String> labels) {
    PeerRelay r = new PeerRelay();
    r.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
    r.getSpec().setReplicas(replicas);
    r.getSpec().getExposure().setType(type);
    return r;
  }

  static PeerRelay relay(String name, int replicas, ExposureType type) {
    return relay(name, replicas, type, Map.of());
  }

  static RelayGrant grant(String name, Map<String, String> selector, GrantSource... src) {
    RelayGrant g = new RelayGrant();
    g.setMetadata(new ObjectMetaBuilder().withName(name).build());
    g.getSpec().setSrc(List.of(src));
    g.getSpec().getDst().setSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());
    return g;
  }

  /** A user's Secret the operator may read: it carries {@code peerrelay.io/watch=true}. */
  static Secret keySecret(String name, String key, String value) {
    Secret s = unwatchedSecret(name, key, value);
    s.getMetadata().setLabels(Map.of("peerrelay.io/watch", "true"));
    return s;
  }

  /** A user's Secret without the watch label: the operator does not cache it. */
  static Secret unwatchedSecret(String name, String key, String value) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withStringData(Map.of(key, value))
        .build();
  }

  /** A syntactically valid client key whose bytes are all {@code b}. */
  static String clientKey(int b) {
    byte[] raw = new byte[32];
    java.util.Arrays.fill(raw, (byte) b);
    return "discokey:" + HexFormat.of().formatHex(raw);
  }
}
