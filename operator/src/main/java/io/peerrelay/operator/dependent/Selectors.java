package io.peerrelay.operator.dependent;

import io.peerrelay.operator.desired.Names;

/** Label selectors of the informers, so the operator caches only what it owns. */
public final class Selectors {

  /** Every child the operator creates carries this label. */
  public static final String MANAGED = Names.LABEL_MANAGED_BY + "=" + Names.MANAGER;

  /** Relay pods (created by the StatefulSet controller from our template). */
  public static final String RELAY_PODS = Names.LABEL_NAME + "=" + Names.APP + "," + MANAGED;

  /**
   * Secrets the operator caches: its own (key and node-state Secrets carry the label) and the
   * users' Secrets that grants and tailnet auth keys reference (users must label them).
   */
  public static final String WATCHED_SECRETS = Names.LABEL_WATCH + "=true";

  /**
   * The users' Secrets only (the RelayGrant controller reads no key Secret): watched, not made by
   * the operator.
   */
  public static final String WATCHED_USER_SECRETS =
      WATCHED_SECRETS + "," + Names.LABEL_MANAGED_BY + "!=" + Names.MANAGER;

  private Selectors() {}
}
