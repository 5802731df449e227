package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes Kubernetes Events about a resource ({@code kubectl describe} shows them), one per
 * transition the reconciler noticed, never one per reconcile.
 */
public final class RelayEvents {

  /** Event type for expected transitions. */
  public static final String NORMAL = "Normal";

  /** Event type for something the user has to fix. */
  public static final String WARNING = "Warning";

  private static final Logger LOG = LoggerFactory.getLogger(RelayEvents.class);

  private final KubernetesClient client;

  public RelayEvents(KubernetesClient client) {
    this.client = client;
  }

  /** Writes one event; a failure is logged, never thrown (an event is not worth a failed sync). */
  public void write(HasMetadata about, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    byte[] suffix = new byte[8];
    ThreadLocalRandom.current().nextBytes(suffix);
    var meta = about.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(meta.getName() + "." + HexFormat.of().formatHex(suffix))
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(about.getApiVersion())
            .withKind(about.getKind())
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource()
            .withComponent(FieldManager.NAME)
            .endSource()
            .withReportingComponent(FieldManager.NAME)
            .build();
    try {
      client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
      LOG.info(
          "event kind={} object={}/{} type={} reason={} message=\"{}\"",
          about.getKind(),
          meta.getNamespace(),
          meta.getName(),
          type,
          reason,
          message);
    } catch (KubernetesClientException e) {
      LOG.warn(
          "event-failed object={}/{} reason={} error=\"{}\"",
          meta.getNamespace(),
          meta.getName(),
          reason,
          e.getMessage());
    }
  }
}
