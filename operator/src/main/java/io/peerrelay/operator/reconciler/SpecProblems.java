package io.peerrelay.operator.reconciler;

import io.peerrelay.operator.api.ElasticIP;
import io.peerrelay.operator.api.Exposure;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.Lifetimes;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.PeerRelaySpec;
import io.peerrelay.operator.api.StaticEndpoint;
import io.peerrelay.operator.desired.GoDuration;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Re-checks in the reconciler what the CRD's OpenAPI schema and CEL rules check, so a PeerRelay
 * that slipped past validation (an older CRD, validation turned off, a future field) gets a {@code
 * ConfigInvalid} condition naming the field instead of broken children or a stack trace.
 */
final class SpecProblems {

  private static final Pattern RELAY_NAME = Pattern.compile(Names.RELAY_NAME_PATTERN);

  private SpecProblems() {}

  /** The first problem found, naming the field, or null when the spec is usable. */
  static String first(PeerRelay relay) {
    String name = relay.getMetadata().getName();
    if (!RELAY_NAME.matcher(name).matches()) {
      return "metadata.name: must be a DNS label starting with a letter (its Services are named"
          + " <name>-<i>), got "
          + name;
    }
    if (name.length() > Names.MAX_RELAY_NAME) {
      return "metadata.name: at most "
          + Names.MAX_RELAY_NAME
          + " characters (child names add -<i>)";
    }
    PeerRelaySpec s = relay.getSpec();
    if (s == null) {
      return "spec: required";
    }
    Integer replicas = s.getReplicas();
    if (replicas == null || replicas < 0 || replicas > 64) {
      return "spec.replicas: must be between 0 and 64, got " + replicas;
    }
    if (!port(s.getUdpPort())) {
      return "spec.udpPort: must be 1..65535, got " + s.getUdpPort();
    }
    if (!port(s.getHttpPort())) {
      return "spec.httpPort: must be 1..65535, got " + s.getHttpPort();
    }
    if (s.getUdpPort().equals(s.getHttpPort())) {
      return "spec.httpPort: must differ from spec.udpPort (" + s.getUdpPort() + ")";
    }
    String exposure = exposureProblem(s.getExposure(), replicas);
    if (exposure != null) {
      return exposure;
    }
    List<StaticEndpoint> statics = s.getStaticEndpoints();
    for (int i = 0; statics != null && i < statics.size(); i++) {
      StaticEndpoint e = statics.get(i);
      if (!endpoint(e.getAddress())) {
        return "spec.staticEndpoints[" + i + "].address: expected ip:port, got " + e.getAddress();
      }
      if (e.getReplica() != null && e.getReplica() < 0) {
        return "spec.staticEndpoints[" + i + "].replica: must be >= 0";
      }
    }
    String lifetimes = lifetimesProblem(s.getLifetimes());
    if (lifetimes != null) {
      return lifetimes;
    }
    if (!duration(s.getDrain())) {
      return "spec.drain: not a duration like 10s: " + s.getDrain();
    }
    return null;
  }

  private static String exposureProblem(Exposure x, int replicas) {
    if (x == null || x.getType() == null) {
      return "spec.exposure.type: required (AWSNLB, LoadBalancer, NodeAddress or None)";
    }
    if (x.getLoadBalancerClass() != null
        && !x.getLoadBalancerClass().isEmpty()
        && x.getType() != ExposureType.LoadBalancer) {
      return "spec.exposure.loadBalancerClass: only for exposure type LoadBalancer";
    }
    List<ElasticIP> eips = x.getElasticIPs();
    if (eips != null && !eips.isEmpty()) {
      if (x.getType() != ExposureType.AWSNLB) {
        return "spec.exposure.elasticIPs: only for exposure type AWSNLB";
      }
      if (eips.size() < replicas) {
        return "spec.exposure.elasticIPs: "
            + eips.size()
            + " given for "
            + replicas
            + " replicas (one per replica)";
      }
      for (int i = 0; i < eips.size(); i++) {
        ElasticIP e = eips.get(i);
        if (e.getAllocationID() == null || e.getAllocationID().isEmpty()) {
          return "spec.exposure.elasticIPs[" + i + "].allocationID: required";
        }
        if (blank(e.getSubnetID()) || blank(e.getZone())) {
          return "spec.exposure.elasticIPs["
              + i
              + "]: subnetID and zone are required (one subnet per Elastic IP allocation)";
        }
      }
    }
    return null;
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }

  private static boolean port(Integer p) {
    return p != null && p >= 1 && p <= 65535;
  }

  /** Absent is fine (the relay's default); present must be a Go duration. */
  /**
   * The relay refuses a lifetime that is not a duration or is 0 (RelayConfigParser in relay-pod,
   * read with zeroAllowed=false); the CRD says the same, this catches objects stored before it.
   */
  private static String lifetimesProblem(Lifetimes l) {
    if (l == null) {
      return null;
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("bind", l.getBind());
    fields.put("steadyState", l.getSteadyState());
    fields.put("gcInterval", l.getGcInterval());
    for (var f : fields.entrySet()) {
      String field = "spec.lifetimes." + f.getKey();
      if (!duration(f.getValue())) {
        return field + ": not a duration like 5s or 1m30s: " + f.getValue();
      }
      if (f.getValue() != null
          && !f.getValue().isEmpty()
          && GoDuration.parse(f.getValue()).isZero()) {
        return field + ": must be more than 0 (the relay refuses 0): " + f.getValue();
      }
    }
    return null;
  }

  private static boolean duration(String d) {
    if (d == null || d.isEmpty()) {
      return true;
    }
    try {
      GoDuration.parse(d);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean endpoint(String address) {
    try {
      return address != null && Endpoint.parse(address) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
