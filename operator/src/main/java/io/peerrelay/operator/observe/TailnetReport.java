package io.peerrelay.operator.observe;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a relay's side port answers on {@code GET /tailnet}: its node's registration state, as the
 * relay sees it. Unknown fields are ignored, so the relay may add some.
 *
 * @param enabled whether the relay runs in tailnet mode
 * @param state one of {@link #STARTING}, {@link #REGISTERED}, {@link #AUTH_KEY_MISSING}, {@link
 *     #AUTH_KEY_REFUSED}, {@link #NODE_KEY_EXPIRED}, {@link #CONTROL_UNREACHABLE}; {@link
 *     #NOT_ANSWERING} when the operator got no usable answer
 * @param message the relay's (or the operator's) details
 * @param nodeName the node's name in the tailnet
 * @param nodeKey the node's {@code nodekey:<hex>}
 * @param tailscaleIPs the node's tailnet addresses
 * @param online whether control reports the node online
 * @param derpConnected whether the relay holds a connection to its home DERP region
 * @param homeDerp the home DERP region id (0: none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TailnetReport(
    boolean enabled,
    String state,
    String message,
    String nodeName,
    String nodeKey,
    List<String> tailscaleIPs,
    boolean online,
    boolean derpConnected,
    int homeDerp) {

  public static final String STARTING = "Starting";
  public static final String REGISTERED = "Registered";
  public static final String AUTH_KEY_MISSING = "AuthKeyMissing";
  public static final String AUTH_KEY_REFUSED = "AuthKeyRefused";
  public static final String NODE_KEY_EXPIRED = "NodeKeyExpired";
  public static final String CONTROL_UNREACHABLE = "ControlUnreachable";

  /** Not a relay state: the side port gave no usable answer. */
  public static final String NOT_ANSWERING = "NotAnswering";

  public TailnetReport {
    tailscaleIPs = tailscaleIPs == null ? List.of() : List.copyOf(tailscaleIPs);
    state = state == null ? NOT_ANSWERING : state;
  }

  /** The report for a side port that gave no usable answer, and why. */
  public static TailnetReport notAnswering(String why) {
    return new TailnetReport(false, NOT_ANSWERING, why, null, null, List.of(), false, false, 0);
  }

  /** Whether the node is registered with control. */
  public boolean registered() {
    return enabled && REGISTERED.equals(state);
  }
}
