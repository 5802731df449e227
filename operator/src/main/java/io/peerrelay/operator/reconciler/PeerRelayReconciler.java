package io.peerrelay.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.peerrelay.operator.api.Conditions;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelayStatus;
import io.peerrelay.operator.dependent.RelayConfigMapsDependent;
import io.peerrelay.operator.dependent.RelayKeySecretsDependent;
import io.peerrelay.operator.dependent.RelayPlan;
import io.peerrelay.operator.dependent.RelayPodDisruptionBudgetDependent;
import io.peerrelay.operator.dependent.RelayServicesDependent;
import io.peerrelay.operator.dependent.RelayStatefulSetsDependent;
import io.peerrelay.operator.observe.ConfigReport;
import io.peerrelay.operator.observe.Endpoint;
import io.peerrelay.operator.observe.Endpoints;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.Probed;
import io.peerrelay.operator.observe.TailnetProbe;
import io.peerrelay.operator.observe.TailnetReport;
import io.peerrelay.operator.status.RelayFacts;
import io.peerrelay.operator.status.RelayStatusAggregator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Reconciles a PeerRelay along one spine ({@link #sync}): observe (caches only) → check the spec →
 * compute endpoints → build every child once → decide the rollout → apply → observe again → ask Pod
 * Security; then aggregate status, patch it only when it changed, and come back in 30 s while not
 * Ready.
 */
@Workflow(
    explicitInvocation = true,
    handleExceptionsInReconciler = true,
    dependents = {
      @Dependent(
          name = RelayWorkflow.KEYS,
          type = RelayKeySecretsDependent.class,
          // The controller's one Secret informer (label-selected): see RelayCaches.register.
          useEventSourceWithName = RelayCaches.SECRETS),
      @Dependent(name = RelayWorkflow.CONFIGS, type = RelayConfigMapsDependent.class),
      @Dependent(name = RelayWorkflow.SERVICES, type = RelayServicesDependent.class),
      @Dependent(
          name = RelayWorkflow.STATEFULSETS,
          type = RelayStatefulSetsDependent.class,
          // The pods mount both: creating the StatefulSet first would start pods that wait.
          dependsOn = {RelayWorkflow.KEYS, RelayWorkflow.CONFIGS}),
      @Dependent(name = RelayWorkflow.PDB, type = RelayPodDisruptionBudgetDependent.class)
    })
@ControllerConfiguration(name = PeerRelayReconciler.NAME, fieldManager = FieldManager.NAME)
// Passing API errors are retried without limit, backing off from 2 s to the not-Ready requeue
// period: JOSDK's default gives up after 5 attempts (~16 s) and then waits for an event, which
// may never come (a lifted quota, an API server back up).
@GradualRetry(maxAttempts = -1, maxInterval = PeerRelayReconciler.NOT_READY_REQUEUE_MILLIS)
public class PeerRelayReconciler implements Reconciler<PeerRelay> {

  /** Controller name (also the name of its metrics). */
  public static final String NAME = "peerrelay";

  /** How often a not-Ready relay is looked at again (LB provisioning, DNS, pods starting). */
  static final long NOT_READY_REQUEUE_MILLIS = 30_000;

  /** {@link #NOT_READY_REQUEUE_MILLIS} as a Duration. */
  static final Duration NOT_READY_REQUEUE = Duration.ofMillis(NOT_READY_REQUEUE_MILLIS);

  private final String defaultImage;
  private final Endpoints endpoints;
  private final RelayStatusAggregator aggregator;
  private final StatusOutcome outcome;
  private final MeterRegistry registry;
  private final TailnetProbe tailnetProbe = new TailnetProbe();

  /**
   * @param defaultImage relay image for PeerRelays without {@code spec.image}
   * @param endpoints endpoint computation (with its DNS seam)
   * @param clock time for condition transitions
   * @param registry where the relay gauges go
   */
  public PeerRelayReconciler(
      String defaultImage, Endpoints endpoints, Clock clock, MeterRegistry registry) {
    this.defaultImage = defaultImage;
    this.endpoints = endpoints;
    this.aggregator = new RelayStatusAggregator(clock);
    this.outcome = new StatusOutcome(aggregator);
    this.registry = registry;
  }

  @Override
  public List<EventSource<?, PeerRelay>> prepareEventSources(
      EventSourceContext<PeerRelay> context) {
    RelayGauges.register(registry, context.getPrimaryCache());
    return RelayCaches.register(context);
  }

  @Override
  public UpdateControl<PeerRelay> reconcile(PeerRelay relay, Context<PeerRelay> context) {
    PeerRelayStatus previous = relay.getStatus();
    Sync sync;
    try {
      sync = sync(relay, context);
    } catch (RuntimeException e) {
      // A 409 that never clears: a user's object holds a child's name. Say so instead of
      // retrying "the object has been modified" forever.
      String conflict =
          ApiFailure.isConflict(e) ? NameConflicts.find(context.getClient(), relay) : null;
      if (conflict != null) {
        return outcome.finish(
            relay,
            context,
            previous,
            outcome.failedWith(relay, previous, Conditions.REASON_NAME_CONFLICT, conflict),
            null,
            null);
      }
      if (ApiFailure.isTransient(e)) {
        throw e; // JOSDK retries with backoff; updateErrorStatus keeps a healthy status as it is.
      }
      return outcome.finish(
          relay, context, previous, outcome.failed(relay, previous, e), null, null);
    }
    PeerRelayStatus next = aggregator.aggregate(previous, sync.facts());
    return outcome.finish(relay, context, previous, next, sync.before(), sync.after());
  }

  /**
   * The spine: observe, check the spec, compute endpoints, build every child once, decide the
   * rollout, apply, observe again, ask Pod Security; each step's result feeds the facts.
   */
  private Sync sync(PeerRelay relay, Context<PeerRelay> context) {
    Observed before = RelayCaches.read(relay, context);
    String specProblem = SpecProblems.first(relay);
    if (specProblem != null) {
      RelayFacts facts =
          RelayFacts.of(
              relay, before, Map.of(), specProblem, null, null, List.of(), Probed.NONE, Map.of());
      return new Sync(before, before, facts);
    }
    Endpoints.Computed computed = this.endpoints.compute(relay, before);
    Map<Integer, List<Endpoint>> endpoints = computed.byReplica();
    RelayPlan plan =
        RelayPlan.of(relay, defaultImage, endpoints, before.grantedKeys(), before.keySecrets());
    Rollout rollout = Rollout.of(plan, before);
    plan.holding(rollout.hold(), before.statefulSets()).handTo(context);
    String refused = RelayWorkflow.apply(context);
    Observed after = RelayCaches.read(relay, context);
    if (refused != null) {
      RelayFacts facts =
          RelayFacts.of(
              relay,
              after,
              endpoints,
              refused,
              null,
              rollout.rolling(),
              List.of(),
              Probed.NONE,
              computed.staleHostnames());
      return new Sync(before, after, facts);
    }
    String podSecurity = new PodSecurityCheck(context.getClient()).problem(relay, after, plan);
    Probed probed = probe(relay, after);
    RelayFacts facts =
        RelayFacts.of(
            relay,
            after,
            endpoints,
            null,
            podSecurity,
            rollout.rolling(),
            plan.overriddenAnnotations(),
            probed,
            computed.staleHostnames());
    return new Sync(before, after, facts);
  }

  /**
   * What each ready replica's side port says about the config in force and its key, and in tailnet
   * mode about its node.
   */
  private Probed probe(PeerRelay relay, Observed o) {
    Map<Integer, Endpoint> sidePorts = o.sidePorts(relay.getSpec().getHttpPort());
    Map<Integer, TailnetReport> tailnet =
        relay.getSpec().getTailnet() == null ? Map.of() : tailnetProbe.probe(sidePorts);
    return new Probed(tailnet, ConfigReport.probe(sidePorts));
  }

  /** The caches before and after applying, and the facts the status is built from. */
  private record Sync(Observed before, Observed after, RelayFacts facts) {}

  /**
   * A passing API error escaped the reconcile (see {@link ApiFailure#isTransient}): JOSDK retries
   * with backoff; status stays as it was while it was healthy, and keeps its replica entries
   * otherwise. The retries never run out (see {@link GradualRetry} on this class).
   */
  @Override
  public ErrorStatusUpdateControl<PeerRelay> updateErrorStatus(
      PeerRelay relay, Context<PeerRelay> context, Exception e) {
    return outcome.afterError(relay, context, e);
  }
}
