package io.peerrelay.relay.tailnet.noise;

import java.io.IOException;

/** The control connection's Noise layer failed: a refused or corrupt handshake or record. */
public class NoiseException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public NoiseException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public NoiseException(String message, Throwable cause) {
    super(message, cause);
  }
}
