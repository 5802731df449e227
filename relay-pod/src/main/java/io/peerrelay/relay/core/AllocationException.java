package io.peerrelay.relay.core;

/** An allocation the relay refused, with the result it counts. */
public final class AllocationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final AllocationResult result;

  AllocationException(AllocationResult result, String message) {
    super(message);
    this.result = result;
  }

  /** Why it was refused. */
  public AllocationResult result() {
    return result;
  }
}
