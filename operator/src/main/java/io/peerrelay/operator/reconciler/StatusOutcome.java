package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.status.RelayStatusAggregator;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of every reconcile: the status of one that failed, the events for what changed, a status
 * patch only when the status changed, and a requeue while not Ready. Kept apart from the spine so
 * that {@link PeerRelayReconciler} reads as the steps of one sync.
 */
final class StatusOutcome {
  private static final Logger LOG = LoggerFactory.getLogger(PeerRelayReconciler.class);

  private final RelayStatusAggregator aggregator;

  StatusOutcome(RelayStatusAggregator aggregator) {
    this.aggregator = aggregator;
  }

  /** A status for a reconcile that failed outright: a short message, the trace only in the log. */
  PeerRelayStatus failed(PeerRelay relay, PeerRelayStatus previous, RuntimeException e) {
    LOG.warn(
        "reconcile-failed relay={}/{} error=\"{}\"",
        relay.getMetadata().getNamespace(),
        relay.getMetadata().getName(),
        e.toString(),
        e);
    return failedWith(
        relay,
        previous,
        Conditions.REASON_CONFIG_INVALID,
        "reconcile failed: " + ApiFailure.describe(null, e));
  }

  /** Ready False with {@code reason}; the replica entries of {@code previous} are kept. */
  PeerRelayStatus failedWith(
      PeerRelay relay, PeerRelayStatus previous, String reason, String message) {
    return aggregator.failed(
        previous,
        relay.getMetadata().getGeneration(),
        Names.relaySelectorString(relay),
        Conditions.FALSE,
        reason,
        message);
  }

  /** Announces transitions, patches status when it changed, and requeues while not Ready. */
  UpdateControl<PeerRelay> finish(
      PeerRelay relay,
      Context<PeerRelay> context,
      PeerRelayStatus previous,
      PeerRelayStatus next,
      Observed before,
      Observed after) {
    new RelayTransitions(new RelayEvents(context.getClient()))
        .announce(relay, previous, next, before, after);
    UpdateControl<PeerRelay> control =
        Objects.equals(next, previous)
            ? UpdateControl.noUpdate()
            : UpdateControl.patchStatus(statusPatch(relay, next));
    return next.ready() && !tailnetPending(next)
        ? control
        : control.rescheduleAfter(PeerRelayReconciler.NOT_READY_REQUEUE);
  }

  /**
   * The status after a passing API error escaped the reconcile: kept as it was while it was
   * healthy, with its replica entries otherwise.
   */
  ErrorStatusUpdateControl<PeerRelay> afterError(
      PeerRelay relay, Context<PeerRelay> context, Exception e) {
    LOG.warn(
        "reconcile-retry relay={}/{} error=\"{}\"",
        relay.getMetadata().getNamespace(),
        relay.getMetadata().getName(),
        ApiFailure.describe(null, e));
    PeerRelayStatus previous = relay.getStatus();
    PeerRelayStatus next =
        aggregator.afterTransientError(
            previous,
            relay.getMetadata().getGeneration(),
            Names.relaySelectorString(relay),
            "API request failed, retrying: " + ApiFailure.describe(null, e));
    new RelayTransitions(new RelayEvents(context.getClient()))
        .announce(relay, previous, next, null, null);
    return Objects.equals(next, previous)
        ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(statusPatch(relay, next));
  }

  /** Tailnet mode with a replica not registered yet: look again (the relay registers alone). */
  private static boolean tailnetPending(PeerRelayStatus s) {
    var c = s.condition(Conditions.TAILNET_REGISTERED);
    return c != null && !Conditions.TRUE.equals(c.getStatus());
  }

  /** A PeerRelay carrying only identity and status: what a status apply must send. */
  private static PeerRelay statusPatch(PeerRelay relay, PeerRelayStatus status) {
    PeerRelay patch = new PeerRelay();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(relay.getMetadata().getName())
            .withNamespace(relay.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return patch;
  }
}
