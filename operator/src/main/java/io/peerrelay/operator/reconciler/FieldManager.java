package io.peerrelay.operator.reconciler;

/** The server-side apply field manager of everything the operator writes. */
public final class FieldManager {

  /**
   * Fixed, so a restarted or upgraded operator owns exactly the fields the previous one applied (a
   * name derived from the controller would change with it and orphan those fields).
   */
  public static final String NAME = "peerrelay-operator";

  private FieldManager() {}
}
