package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a PeerRelay asks for: replicas, ports, exposure, relay tuning and pod placement. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.udpPort) || !has(self.httpPort) || self.udpPort != self.httpPort",
    message =
        "spec.httpPort must differ from spec.udpPort: both are host ports of the same pod;"
            + " choose another spec.httpPort",
    fieldPath = ".httpPort")
@ValidationRule(
    value =
        "!has(self.exposure) || !has(self.exposure.elasticIPs)"
            + " || size(self.exposure.elasticIPs) == 0"
            + " || size(self.exposure.elasticIPs) >= self.replicas",
    message =
        "spec.exposure.elasticIPs must have one entry per replica (at least spec.replicas"
            + " entries): add Elastic IPs, lower spec.replicas, or remove spec.exposure.elasticIPs",
    fieldPath = ".exposure.elasticIPs")
public class PeerRelaySpec {

  /** Go-style duration such as {@code 30s}, {@code 5m}, {@code 1h30m} or {@code 500ms}. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$";

  /**
   * CEL: a duration above zero. The relay refuses zero lifetimes and GC intervals
   * (relay-pod/src/main/java/io/peerrelay/relay/config/RelayConfigParser.java, duration(...,
   * zeroAllowed=false)); only shutdown.drain may be 0.
   */
  public static final String POSITIVE_DURATION_RULE = "duration(self) > duration('0s')";

  /**
   * Most endpoints one relay advertises: RelayConfig.MAX_ENDPOINTS in
   * relay-pod/src/main/java/io/peerrelay/relay/config/RelayConfig.java (the relay refuses a config
   * with more). CrdSchemaTest reads that constant and compares.
   */
  public static final int MAX_RELAY_ENDPOINTS = 16;

  /** The drain applied when {@code spec.drain} is not set (the relay's own default too). */
  public static final String DEFAULT_DRAIN = "10s";

  @JsonPropertyDescription(
      "Number of relay replicas. Each replica is its own StatefulSet, pod, Service (exposure"
          + " permitting), ConfigMap and key Secret, named <name>-<index>. Default 1, at most 64.")
  @Default("1")
  @Min(0)
  @Max(64)
  @SpecReplicas
  private Integer replicas = 1;

  @JsonPropertyDescription(
      "Relay container image. When empty the operator's default relay image is used.")
  private String image;

  @JsonPropertyDescription(
      "Image pull policy of the relay container (Always, IfNotPresent or Never). When empty"
          + " Kubernetes decides (Always for :latest, otherwise IfNotPresent).")
  private ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription(
      "Secrets (in this namespace) holding credentials for pulling the relay image from a private"
          + " registry.")
  private List<LocalObjectReference> imagePullSecrets = new ArrayList<>();

  @JsonPropertyDescription(
      "UDP port the relay listens on, on the node (hostNetwork) and on the load balancer."
          + " Default 40000.")
  @Default("40000")
  @Min(1)
  @Max(65535)
  private Integer udpPort = 40000;

  @JsonPropertyDescription(
      "TCP port of the relay's HTTP side (readiness /readyz, liveness /healthz, /metrics) on the"
          + " node. Must differ from udpPort. Default 9090.")
  @Default("9090")
  @Min(1)
  @Max(65535)
  private Integer httpPort = 9090;

  @JsonPropertyDescription(
      "How clients reach each replica: the Service kind per replica, annotations and Elastic IP"
          + " pinning. Defaults to one AWS NLB per replica.")
  @Default("{}")
  private Exposure exposure = new Exposure();

  @JsonPropertyDescription(
      "Endpoints (ip:port) advertised in addition to the discovered ones, for port-forwards and"
          + " external NAT. An entry without replica applies to every replica.")
  @Size(max = MAX_RELAY_ENDPOINTS)
  private List<StaticEndpoint> staticEndpoints = new ArrayList<>();

  @JsonPropertyDescription(
      "Session lifetimes of the relay. When absent the relay's built-in defaults apply.")
  private Lifetimes lifetimes;

  @JsonPropertyDescription(
      "Abuse limits of the relay. When absent the relay's built-in defaults apply.")
  private Limits limits;

  @JsonPropertyDescription(
      "How long a terminating relay keeps forwarding existing sessions (Go duration, e.g. 10s)"
          + " while refusing new allocations. The pod's termination grace period is derived from"
          + " it. When absent 10s.")
  @Pattern(DURATION_PATTERN)
  private String drain;

  @JsonPropertyDescription(
      "Tailnet mode: each replica joins a tailnet as a node (Tailscale's service or Headscale),"
          + " so stock Tailscale clients use it under the tailnet policy (a grant of"
          + " tailscale.com/cap/relay). Absent: standalone relays reached through RelayGrants only.")
  private Tailnet tailnet;

  @JsonPropertyDescription("CPU and memory requests and limits of the relay container.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Node labels the relay pods must match (added to the per-replica zone selector of pinned"
          + " Elastic IPs).")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Tolerations of the relay pods.")
  private List<Toleration> tolerations = new ArrayList<>();

  @JsonPropertyDescription("PriorityClass of the relay pods.")
  private String priorityClassName;

  @JsonPropertyDescription(
      "Extra annotations on the relay pods (template changes roll the replicas one at a time).")
  private Map<String, String> podAnnotations = new LinkedHashMap<>();

  @JsonPropertyDescription(
      "Extra labels on the relay pods. The operator's own labels (app.kubernetes.io/*,"
          + " peerrelay.io/*) cannot be overridden.")
  private Map<String, String> podLabels = new LinkedHashMap<>();

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public List<LocalObjectReference> getImagePullSecrets() {
    return imagePullSecrets;
  }

  public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
    this.imagePullSecrets = imagePullSecrets;
  }

  public Integer getUdpPort() {
    return udpPort;
  }

  public void setUdpPort(Integer udpPort) {
    this.udpPort = udpPort;
  }

  public Integer getHttpPort() {
    return httpPort;
  }

  public void setHttpPort(Integer httpPort) {
    this.httpPort = httpPort;
  }

  public Exposure getExposure() {
    return exposure;
  }

  public void setExposure(Exposure exposure) {
    this.exposure = exposure;
  }

  public List<StaticEndpoint> getStaticEndpoints() {
    return staticEndpoints;
  }

  public void setStaticEndpoints(List<StaticEndpoint> staticEndpoints) {
    this.staticEndpoints = staticEndpoints;
  }

  public Lifetimes getLifetimes() {
    return lifetimes;
  }

  public void setLifetimes(Lifetimes lifetimes) {
    this.lifetimes = lifetimes;
  }

  public Limits getLimits() {
    return limits;
  }

  public void setLimits(Limits limits) {
    this.limits = limits;
  }

  public String getDrain() {
    return drain;
  }

  public void setDrain(String drain) {
    this.drain = drain;
  }

  public Tailnet getTailnet() {
    return tailnet;
  }

  public void setTailnet(Tailnet tailnet) {
    this.tailnet = tailnet;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public String getPriorityClassName() {
    return priorityClassName;
  }

  public void setPriorityClassName(String priorityClassName) {
    this.priorityClassName = priorityClassName;
  }

  public Map<String, String> getPodAnnotations() {
    return podAnnotations;
  }

  public void setPodAnnotations(Map<String, String> podAnnotations) {
    this.podAnnotations = podAnnotations;
  }

  public Map<String, String> getPodLabels() {
    return podLabels;
  }

  public void setPodLabels(Map<String, String> podLabels) {
    this.podLabels = podLabels;
  }

  // Spec defaults, in one place. Not bean getters (no get/is prefix): neither Jackson nor the CRD
  // generator sees them, so the stored object stays as the user wrote it.

  /** {@code spec.exposure}, or the default exposure (one AWS NLB per replica) when absent. */
  public Exposure exposureOrDefault() {
    return exposure == null ? new Exposure() : exposure;
  }

  /** The exposure mode, AWSNLB when unset. */
  public ExposureType exposureType() {
    ExposureType type = exposureOrDefault().getType();
    return type == null ? ExposureType.AWSNLB : type;
  }

  /** Which Node address NodeAddress mode advertises, ExternalIP when unset. */
  public NodeAddressType nodeAddressType() {
    NodeAddressType type = exposureOrDefault().getNodeAddressType();
    return type == null ? NodeAddressType.ExternalIP : type;
  }

  /** {@code spec.drain}, or {@link #DEFAULT_DRAIN} when unset. */
  public String drainOrDefault() {
    return drain == null || drain.isEmpty() ? DEFAULT_DRAIN : drain;
  }

  /** {@code spec.replicas}, 0 when unset or negative (a spec that slipped past validation). */
  public int replicaCount() {
    return replicas == null ? 0 : Math.max(0, replicas);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof PeerRelaySpec)) {
      return false;
    }
    PeerRelaySpec s = (PeerRelaySpec) o;
    return Objects.equals(replicas, s.replicas)
        && Objects.equals(image, s.image)
        && imagePullPolicy == s.imagePullPolicy
        && Objects.equals(imagePullSecrets, s.imagePullSecrets)
        && Objects.equals(udpPort, s.udpPort)
        && Objects.equals(httpPort, s.httpPort)
        && Objects.equals(exposure, s.exposure)
        && Objects.equals(staticEndpoints, s.staticEndpoints)
        && Objects.equals(lifetimes, s.lifetimes)
        && Objects.equals(limits, s.limits)
        && Objects.equals(drain, s.drain)
        && Objects.equals(tailnet, s.tailnet)
        && Objects.equals(resources, s.resources)
        && Objects.equals(nodeSelector, s.nodeSelector)
        && Objects.equals(tolerations, s.tolerations)
        && Objects.equals(priorityClassName, s.priorityClassName)
        && Objects.equals(podAnnotations, s.podAnnotations)
        && Objects.equals(podLabels, s.podLabels);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replicas, image, udpPort, httpPort, exposure, drain);
  }
}
