package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A netmap held in maps, changed by tests as a new netmap would change it. */
final class MapPeerDirectory implements PeerDirectory {
  final Map<TailnetKey, TailnetPeer> peers = new ConcurrentHashMap<>();
  final Set<TailnetKey> granted = ConcurrentHashMap.newKeySet();

  TailnetPeer add(TailnetPeer p, boolean grant) {
    peers.put(p.nodeKey(), p);
    if (grant) {
      granted.add(p.nodeKey());
    }
    return p;
  }

  @Override
  public Optional<TailnetPeer> peerByNodeKey(TailnetKey k) {
    return Optional.ofNullable(peers.get(k));
  }

  @Override
  public Optional<TailnetPeer> peerByDiscoKey(DiscoPublicKey k) {
    return peers.values().stream().filter(p -> p.discoKey().equals(k)).findFirst();
  }

  @Override
  public boolean grantsRelay(TailnetPeer p) {
    return granted.contains(p.nodeKey()) && p.equals(peers.get(p.nodeKey()));
  }
}
