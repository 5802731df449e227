package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.NonceSource;

/**
 * What a session needs from the server to answer one handshake packet: the key that seals the
 * challenge, nonces, the cookie secrets in force (newest first) and the handshake budget per leg.
 */
record Handshakes(
    DiscoPublicKey serverPublic,
    NonceSource nonces,
    byte[][] secrets,
    double perSecond,
    int burst,
    RelayEvents events) {}
