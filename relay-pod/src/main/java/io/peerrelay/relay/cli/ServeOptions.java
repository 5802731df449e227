package io.peerrelay.relay.cli;

import io.peerrelay.relay.http.BearerToken;
import java.time.Duration;

/**
 * Process-level choices of {@code serve} that are not in the config file.
 *
 * @param bindV4 IPv4 address to bind the UDP port on
 * @param bindV6 IPv6 address to bind it on, or null for no IPv6 socket
 * @param threads UDP event-loop threads (one socket each, SO_REUSEPORT)
 * @param debounce quiet time after a file event before re-reading
 * @param recheck periodic re-read, in case a file event was missed
 * @param sessionsToken the token that lets callers off the host read /sessions, or null
 */
record ServeOptions(
    String bindV4,
    String bindV6,
    int threads,
    Duration debounce,
    Duration recheck,
    BearerToken sessionsToken) {}
