package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.AddrPort;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/** One client's side of a session: its key, box key, bound address and counters. */
final class Leg {
  /** A bound address, kept as one object so the forwarding path compares and sends without work. */
  record Binding(InetSocketAddress address, boolean v6) {
    static Binding of(InetSocketAddress address) {
      return new Binding(address, address.getAddress() instanceof Inet6Address);
    }
  }

  final DiscoPublicKey key;
  final DiscoSharedKey box;

  /** Null until the first valid answer; replaced on re-bind, never cleared. */
  volatile Binding binding;

  /** 0 means no handshake in progress; guarded by the session's monitor. */
  int inProgressGeneration;

  /** This leg's own handshake budget: nothing another sender does can spend it (issue 9.3). */
  final TokenBucket handshakes = new TokenBucket();

  final AtomicLong lastSeen = new AtomicLong();
  final AtomicLong packets = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();

  Leg(DiscoPublicKey key, DiscoSharedKey box) {
    this.key = key;
    this.box = box;
  }

  /** Counts data packets received from this leg (forwarding path: no allocation). */
  void received(long count, long length, long now) {
    lastSeen.lazySet(now);
    packets.getAndAdd(count);
    bytes.getAndAdd(length);
  }

  SessionInfo.ClientInfo info() {
    Binding b = binding;
    return new SessionInfo.ClientInfo(
        b == null ? "" : AddrPort.format(b.address()),
        key.shortString(),
        packets.get(),
        bytes.get());
  }
}
