package io.peerrelay.operator.dependent;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of the pod template the operator asked for, stamped on each StatefulSet, so the rollout
 * can tell which replicas still run an older template without comparing API-defaulted objects field
 * by field.
 */
public final class TemplateHash {

  /** StatefulSet annotation holding the digest of the template it was last given. */
  public static final String ANNOTATION = "peerrelay.io/template-hash";

  private TemplateHash() {}

  /** Digest of {@code template} (the builder's output, before any API defaulting). */
  public static String of(PodTemplateSpec template) {
    try {
      byte[] json = Serialization.asJson(template).getBytes(StandardCharsets.UTF_8);
      byte[] d = MessageDigest.getInstance("SHA-256").digest(json);
      return HexFormat.of().formatHex(d, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }

  /** The digest a StatefulSet was stamped with, or null. */
  public static String stampedOn(StatefulSet sts) {
    var a = sts.getMetadata().getAnnotations();
    return a == null ? null : a.get(ANNOTATION);
  }
}
