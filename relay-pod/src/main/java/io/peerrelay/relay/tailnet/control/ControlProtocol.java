package io.peerrelay.relay.tailnet.control;

/** Constants of Tailscale's ts2021 control protocol as this relay speaks it. */
public final class ControlProtocol {
  /**
   * The capability version the relay reports (MapRequest.Version, RegisterRequest.Version, the
   * Noise prologue and /key?v=).
   *
   * <p>121 is the first version at which Tailscale clients treat a node as relay-capable
   * (wgengine/magicsock capVerIsRelayCapable: version &gt;= 121, and nothing in v1.102.3 checks a
   * higher one). A version is a promise to understand everything listed up to it in tailcfg's
   * history; the ones that bind this node are kept: incremental PacketFilters (81),
   * PeersChangedPatch/OnlineChange deltas and "absent means unchanged" fields, Node.HomeDERP (111)
   * and DERPRegion.NoMeasureNoHome (115, honoured when picking the home region). Higher versions
   * would promise C2N debug handlers (127, 128), seamless key renewal (126), hardware attestation
   * (130), auto-update and host-file attributes (131+) that this relay does not implement, so it
   * does not claim them.
   */
  public static final int CAPABILITY_VERSION = 121;

  /** The path of the HTTP upgrade to the Noise protocol. */
  public static final String UPGRADE_PATH = "/ts2021";

  /** The Upgrade header value both sides use. */
  public static final String UPGRADE_PROTOCOL = "tailscale-control-protocol";

  /** The request header that carries the base64 Noise initiation. */
  public static final String HANDSHAKE_HEADER = "X-Tailscale-Handshake";

  /** The load-balancer hint header: the node key(s) a request is about. */
  public static final String LB_HEADER = "Ts-Lb";

  /** Registration path (over HTTP/2 inside Noise). */
  public static final String REGISTER_PATH = "/machine/register";

  /** Map poll path (over HTTP/2 inside Noise). */
  public static final String MAP_PATH = "/machine/map";

  /** MapRequest.EndpointTypes value for an explicitly configured endpoint. */
  public static final int ENDPOINT_EXPLICIT_CONF = 5;

  private ControlProtocol() {}
}
