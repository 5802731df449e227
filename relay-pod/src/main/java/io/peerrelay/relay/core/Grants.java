package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The granted client keys and what the relay keeps per grant. The box keys of new grants are
 * computed in {@link #replace}, on the caller's thread, so no key agreement ever runs on the packet
 * path; readers see one immutable map (lock-free).
 */
final class Grants {
  private final DiscoPrivateKey serverKey;
  private volatile Map<DiscoPublicKey, GrantedKey> byKey = Map.of();

  Grants(DiscoPrivateKey serverKey) {
    this.serverKey = serverKey;
  }

  /** Makes {@code allowed} the granted keys; a key granted before keeps its budget and box. */
  void replace(Set<DiscoPublicKey> allowed) {
    Map<DiscoPublicKey, GrantedKey> old = byKey;
    Map<DiscoPublicKey, GrantedKey> next = new HashMap<>();
    for (DiscoPublicKey k : allowed) {
      GrantedKey kept = old.get(k);
      next.put(k, kept != null ? kept : new GrantedKey(DiscoSharedKey.precompute(serverKey, k)));
    }
    byKey = Map.copyOf(next);
  }

  /** The grant of {@code key}, or null. */
  GrantedKey get(DiscoPublicKey key) {
    return byKey.get(key);
  }

  boolean contains(DiscoPublicKey key) {
    return byKey.containsKey(key);
  }

  /**
   * The box shared with {@code client}: the grant's, else (unless {@code grantedOnly}, which gives
   * null) one computed now, on the caller's thread.
   */
  DiscoSharedKey boxFor(DiscoPublicKey client, boolean grantedOnly) {
    GrantedKey g = byKey.get(client);
    if (g != null) {
      return g.box;
    }
    return grantedOnly ? null : DiscoSharedKey.precompute(serverKey, client);
  }
}
