package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.peerrelay.operator.dependent.RelayPlan;
import io.peerrelay.operator.dependent.TemplateHash;
import io.peerrelay.operator.observe.Observed;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which replicas may take a changed pod template now, so a template change costs the fleet at most
 * one ready relay at a time.
 *
 * <p>A ready replica is updated only when every other replica is ready, and only one at a time (the
 * lowest index first). A replica that is not ready may always be updated: it serves nobody, and
 * holding it would deadlock the fix for a template that keeps every pod from becoming ready (a bad
 * image, say).
 *
 * @param update replicas whose StatefulSet gets the new template in this reconcile
 * @param hold replicas whose StatefulSet keeps its current template for now
 * @param rolling the replica a status should name as being rolled, or null when nothing is in
 *     flight
 */
public record Rollout(Set<Integer> update, Set<Integer> hold, Integer rolling) {

  /**
   * Decides for the replicas of {@code plan} from what runs: a replica is stale when its
   * StatefulSet exists stamped with another template digest than the plan's.
   */
  public static Rollout of(RelayPlan plan, Observed o) {
    Set<Integer> stale = new HashSet<>();
    Set<Integer> ready = new HashSet<>();
    for (int i : plan.statefulSets().keySet()) {
      StatefulSet actual = o.statefulSets().get(i);
      if (actual == null) {
        continue;
      }
      if (!plan.templateHash(i).equals(TemplateHash.stampedOn(actual))) {
        stale.add(i);
      }
      if (o.replicaReady(i)) {
        ready.add(i);
      }
    }
    return decide(plan.statefulSets().size(), stale, ready);
  }

  /**
   * Decides for {@code replicas} replicas.
   *
   * @param stale replicas whose StatefulSet exists with a template other than the desired one
   * @param ready replicas whose pod is ready on its StatefulSet's current revision
   */
  public static Rollout decide(int replicas, Set<Integer> stale, Set<Integer> ready) {
    Set<Integer> update = new TreeSet<>();
    Set<Integer> hold = new TreeSet<>();
    boolean allReady = true;
    for (int i = 0; i < replicas; i++) {
      allReady &= ready.contains(i);
    }
    Integer next = null;
    for (int i = 0; i < replicas; i++) {
      if (!stale.contains(i)) {
        continue;
      }
      if (!ready.contains(i)) {
        update.add(i);
      } else if (allReady && next == null) {
        next = i;
        update.add(i);
      } else {
        hold.add(i);
      }
    }
    return new Rollout(
        Set.copyOf(update), Set.copyOf(hold), rolling(replicas, update, hold, ready));
  }

  /**
   * The replica in flight: the first one updated now, or, while the others are held, the replica
   * they wait for. That one already has the new template (so it is not stale) and its pod is not
   * ready yet; naming the first held replica instead would point at one that has not been touched.
   */
  private static Integer rolling(
      int replicas, Set<Integer> update, Set<Integer> hold, Set<Integer> ready) {
    if (!update.isEmpty()) {
      return new TreeSet<>(update).first();
    }
    if (hold.isEmpty()) {
      return null;
    }
    for (int i = 0; i < replicas; i++) {
      if (!ready.contains(i)) {
        return i;
      }
    }
    return new TreeSet<>(hold).first();
  }
}
