package io.peerrelay.relay.core;

import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.NonceSource;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the relay's parts share: the server key's public half and nonces (to seal answers), the
 * clock, the events, the settings in force (read at each use, so a reload is seen at once), the
 * grants, the session table and the drop counter.
 */
record RelayContext(
    DiscoPublicKey serverPublic,
    NonceSource nonces,
    LongSupplier clock,
    RelayEvents events,
    Supplier<RelaySettings> settings,
    Grants grants,
    SessionTable table,
    Drops drops) {}
