package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;

/**
 * A peer from the netmap, as far as the relay needs it.
 *
 * @param nodeKey the peer's node key (its DERP identity)
 * @param discoKey the disco key the netmap gives for it
 * @param name its name, for logs
 */
public record TailnetPeer(TailnetKey nodeKey, DiscoPublicKey discoKey, String name) {}
