package io.peerrelay.operator.api;

/** Condition types, statuses and reasons used in PeerRelay and RelayGrant status. */
public final class Conditions {

  /** Type: the relay fleet (or grant) is doing its job. */
  public static final String READY = "Ready";

  /** Type (PeerRelay): whether any RelayGrant gives clients access. */
  public static final String ACCESS = "Access";

  /** Type (PeerRelay): whether the exposure was built as the user asked. */
  public static final String EXPOSURE = "Exposure";

  /** Type (PeerRelay, tailnet mode): whether every replica's node is registered with control. */
  public static final String TAILNET_REGISTERED = "TailnetRegistered";

  /**
   * Type (PeerRelay): whether every replica's relay runs the relay.yaml the operator wrote; False
   * when one refused it (reason {@link #REASON_RELAY_REFUSED_CONFIG}, Ready False too).
   */
  public static final String CONFIG_ACCEPTED = "ConfigAccepted";

  /** ConfigAccepted and Ready reason: a relay refused its relay.yaml (replica and field named). */
  public static final String REASON_RELAY_REFUSED_CONFIG = "RelayRefusedConfig";

  /** ConfigAccepted reason: every replica's relay applied the relay.yaml written for it. */
  public static final String REASON_APPLIED = "Applied";

  /** Status value. */
  public static final String TRUE = "True";

  /** Status value. */
  public static final String FALSE = "False";

  /** Status value. */
  public static final String UNKNOWN = "Unknown";

  /** Ready reason: every replica has a ready pod and at least one endpoint. */
  public static final String REASON_READY = "Ready";

  /** Ready reason: some replica has no endpoint yet (load balancer provisioning). */
  public static final String REASON_ENDPOINTS_PENDING = "EndpointsPending";

  /** Ready reason: some replica's pod is not ready. */
  public static final String REASON_PODS_PENDING = "PodsPending";

  /** Ready reason: the spec or a derived config is invalid. */
  public static final String REASON_CONFIG_INVALID = "ConfigInvalid";

  /** Ready reason: the namespace's Pod Security level forbids hostNetwork pods. */
  public static final String REASON_POD_SECURITY_BLOCKED = "PodSecurityBlocked";

  /**
   * Ready reason: an object the PeerRelay does not own holds a child's name (a Secret {@code
   * office-0} beside PeerRelay {@code office}); the message names it and the fix.
   */
  public static final String REASON_NAME_CONFLICT = "NameConflict";

  /** Ready reason: spec.replicas is 0. */
  public static final String REASON_SCALED_TO_ZERO = "ScaledToZero";

  /** Ready reason: a template change is rolling through the replicas. */
  public static final String REASON_PROGRESSING = "Progressing";

  /**
   * Ready reason: the API server could not be reached or answered with a passing error (conflict,
   * throttling, server error); the operator retries with backoff. Used only when the previous
   * status was not already a healthy one, so a blip never flips a working relay.
   */
  public static final String REASON_API_ERROR = "ApiError";

  /** Access reason: at least one client key is granted. */
  public static final String REASON_GRANTED = "Granted";

  /** Access reason: no RelayGrant selects this relay (default deny: nobody can allocate). */
  public static final String REASON_NO_GRANTS = "NoGrants";

  /** Exposure reason: built as asked. */
  public static final String REASON_OK = "Ok";

  /**
   * Exposure reason: a load-balancer hostname stopped resolving; its replica keeps advertising the
   * last known endpoints (the message names the hostname) until it resolves again.
   */
  public static final String REASON_ENDPOINTS_STALE = "EndpointsStale";

  /** Exposure reason: a user Service annotation was replaced by a value the operator needs. */
  public static final String REASON_ANNOTATION_OVERRIDDEN = "AnnotationOverridden";

  /** TailnetRegistered reason: every replica's node is registered. */
  public static final String REASON_REGISTERED = "Registered";

  /** TailnetRegistered reason: no auth key (the Secret or its key is absent): create it. */
  public static final String REASON_AUTH_KEY_MISSING = "AuthKeyMissing";

  /** TailnetRegistered reason: control refused the auth key (invalid, expired, used up). */
  public static final String REASON_AUTH_KEY_REFUSED = "AuthKeyRefused";

  /** TailnetRegistered reason: a node key expired; the relay re-registers with the auth key. */
  public static final String REASON_NODE_KEY_EXPIRED = "NodeKeyExpired";

  /** TailnetRegistered reason: the relay cannot reach the coordination server. */
  public static final String REASON_CONTROL_UNREACHABLE = "ControlUnreachable";

  /** TailnetRegistered reason: pods not ready yet, or the relay is still registering. */
  public static final String REASON_PENDING = "Pending";

  /** RelayGrant Ready reason: every source resolved. */
  public static final String REASON_RESOLVED = "Resolved";

  /** RelayGrant Ready reason: a referenced Secret or key in it is missing. */
  public static final String REASON_SECRET_MISSING = "SecretMissing";

  /** RelayGrant Ready reason: a client key is not {@code discokey:<64 hex>}. */
  public static final String REASON_KEY_MALFORMED = "KeyMalformed";

  /** RelayGrant Ready reason: the selector matches no PeerRelay in the namespace. */
  public static final String REASON_NO_RELAYS_MATCHED = "NoRelaysMatched";

  private Conditions() {}
}
