package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The live sessions and their indexes: by VNI for the packet path (lock-free reads), by key pair
 * and per client key for allocation. Writers take this object's monitor for a few map operations
 * only; no key agreement or sealing ever runs under it.
 */
final class SessionTable {
  /** The outcome of {@link #create}: the session (absent when refused) and the result. */
  record Created(Session session, AllocationResult result) {}

  /** What bounds a new session: both caps and who must still be granted. */
  record Limits(int maxSessions, int maxPerClientKey, Predicate<DiscoPublicKey> granted) {}

  private final VniTable table = new VniTable();
  private final VniAllocator vnis = new VniAllocator(vni -> table.get(vni) != null);
  private final TreeMap<Integer, Session> byVni = new TreeMap<>();
  private final Map<List<DiscoPublicKey>, Session> byPair = new HashMap<>();
  private final Map<DiscoPublicKey, Integer> perKey = new HashMap<>();
  private long lamport;

  /** The session on {@code vni}, or null; lock-free. */
  Session get(int vni) {
    return table.get(vni);
  }

  /**
   * The pair's session, or a new one within {@code limits}; keys sorted ({@code k0 < k1}). {@code
   * limits.granted()} is evaluated under the monitor, so a session can never be created for a key
   * after a {@link #removeIf} for its revocation has run.
   */
  synchronized Created create(
      DiscoPublicKey k0,
      DiscoSharedKey box0,
      DiscoPublicKey k1,
      DiscoSharedKey box1,
      long now,
      Limits limits) {
    Session existing = byPair.get(List.of(k0, k1));
    if (existing != null) {
      return new Created(existing, AllocationResult.EXISTING);
    }
    boolean needsGrants = limits.granted() != null;
    if (needsGrants && !(limits.granted().test(k0) && limits.granted().test(k1))) {
      return new Created(null, AllocationResult.UNGRANTED);
    }
    if (byVni.size() >= limits.maxSessions()) {
      return new Created(null, AllocationResult.LIMIT);
    }
    if (count(k0) >= limits.maxPerClientKey() || count(k1) >= limits.maxPerClientKey()) {
      return new Created(null, AllocationResult.KEY_LIMIT);
    }
    int vni = vnis.allocate();
    if (vni == VniAllocator.EXHAUSTED) {
      return new Created(null, AllocationResult.LIMIT);
    }
    Session s = new Session(vni, ++lamport, now, needsGrants, k0, box0, k1, box1);
    byPair.put(List.of(k0, k1), s);
    byVni.put(vni, s);
    perKey.merge(k0, 1, Integer::sum);
    perKey.merge(k1, 1, Integer::sum);
    table.put(s);
    return new Created(s, AllocationResult.OK);
  }

  /**
   * Closes and removes every session {@code doomed} accepts, reporting each one's state change to
   * {@code events} outside the monitor; returns how many.
   */
  int end(Predicate<Session> doomed, RelayEvents events) {
    List<Session> removed = removeIf(doomed);
    for (Session s : removed) {
      events.sessionState(
          s.open() ? SessionState.OPEN : SessionState.CONNECTING, SessionState.CLOSED);
    }
    return removed.size();
  }

  /** Closes and removes every session {@code doomed} accepts; returns them. */
  private synchronized List<Session> removeIf(Predicate<Session> doomed) {
    List<Session> out = new ArrayList<>();
    for (Iterator<Session> it = byVni.values().iterator(); it.hasNext(); ) {
      Session s = it.next();
      if (doomed.test(s)) {
        s.closed = true;
        it.remove();
        table.remove(s.vni());
        DiscoPublicKey k0 = s.legs[0].key;
        DiscoPublicKey k1 = s.legs[1].key;
        byPair.remove(List.of(k0, k1));
        perKey.computeIfPresent(k0, (k, n) -> n == 1 ? null : n - 1);
        perKey.computeIfPresent(k1, (k, n) -> n == 1 ? null : n - 1);
        out.add(s);
      }
    }
    return out;
  }

  private int count(DiscoPublicKey key) {
    return perKey.getOrDefault(key, 0);
  }

  /** Live sessions, sorted by VNI. */
  synchronized List<SessionInfo> infos() {
    List<SessionInfo> out = new ArrayList<>(byVni.size());
    for (Session s : byVni.values()) {
      out.add(s.info());
    }
    return out;
  }

  /** At most {@code limit} live sessions with a VNI above {@code afterVni}, sorted by VNI. */
  synchronized List<SessionInfo> infos(int afterVni, int limit) {
    List<SessionInfo> out = new ArrayList<>(Math.min(limit, byVni.size()));
    for (Session s : byVni.tailMap(afterVni, false).values()) {
      if (out.size() == limit) {
        break;
      }
      out.add(s.info());
    }
    return out;
  }

  synchronized int size() {
    return byVni.size();
  }

  /** Pages of the VNI index in use (memory bound checks in tests). */
  int pageCount() {
    return table.pageCount();
  }
}
