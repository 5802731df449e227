package io.peerrelay.operator.status;

/**
 * What tailnet mode's condition needs beyond the replicas' reports.
 *
 * @param controlUrl the coordination server the replicas register with
 * @param authSecret the auth-key Secret's name
 * @param authKey the data key in it
 * @param authKeyProblem why the operator sees no auth key (Secret or key absent), or null
 */
public record TailnetFacts(
    String controlUrl, String authSecret, String authKey, String authKeyProblem) {}
