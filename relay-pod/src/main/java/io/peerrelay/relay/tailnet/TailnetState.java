package io.peerrelay.relay.tailnet;

/** Where the node stands with the control server, as /tailnet and readiness report it. */
public enum TailnetState {
  /** Connecting, registering or waiting for the first netmap. */
  STARTING("Starting"),
  /** Registered and receiving netmaps. */
  REGISTERED("Registered"),
  /** Control does not know the node and there is no auth key to register it with. */
  AUTH_KEY_MISSING("AuthKeyMissing"),
  /** Control refused the auth key. */
  AUTH_KEY_REFUSED("AuthKeyRefused"),
  /** The node key expired; the relay is registering a new one. */
  NODE_KEY_EXPIRED("NodeKeyExpired"),
  /** The control server cannot be reached or talked to; the relay retries with back-off. */
  CONTROL_UNREACHABLE("ControlUnreachable");

  private final String jsonName;

  TailnetState(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The name in the /tailnet JSON, e.g. "AuthKeyMissing". */
  public String jsonName() {
    return jsonName;
  }
}
