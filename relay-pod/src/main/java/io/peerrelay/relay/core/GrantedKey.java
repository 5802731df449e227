package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoSharedKey;

/**
 * What the relay keeps per granted client key: the box key shared with the server key, computed
 * once when the grant appears (so no X25519 ever runs on the packet path), and the key's own
 * allocation budget and replay high-water mark.
 */
final class GrantedKey {
  final DiscoSharedKey box;
  final TokenBucket allocations = new TokenBucket();

  /** Highest request time (unix ms) accepted from this key; guarded by this object. */
  private long lastStampMillis = Long.MIN_VALUE;

  GrantedKey(DiscoSharedKey box) {
    this.box = box;
  }

  /** Accepts {@code stamp} only if it is newer than every stamp accepted before (replay guard). */
  synchronized boolean advanceStamp(long stamp) {
    if (stamp <= lastStampMillis) {
      return false;
    }
    lastStampMillis = stamp;
    return true;
  }
}
