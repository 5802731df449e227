package io.peerrelay.operator.dependent;

import io.peerrelay.operator.desired.Names;

/** Label selectors of the informers, so the operator caches only what it owns. */
public final class Selectors {

  /** Every child the operator creates carries this label. */
  public static final String MANAGED = Names.LABEL_MANAGED_BY + "=" + Names.MANAGER;

  /** Relay pods (created by the StatefulSet controller from our template). */
  public static final String RELAY_PODS = Names.LABEL_NAME + "=" + Names.APP + "," + MANAGED;

  private Selectors() {}
}
