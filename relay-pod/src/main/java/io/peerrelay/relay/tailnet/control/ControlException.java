package io.peerrelay.relay.tailnet.control;

import java.io.IOException;

/** Talking to the control server failed in a way the message explains. */
public class ControlException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public ControlException(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public ControlException(String message, Throwable cause) {
    super(message, cause);
  }
}
