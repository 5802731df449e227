package io.peerrelay.operator.observe;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** DNS lookup seam: a load balancer hostname to all of its A and AAAA addresses. */
@FunctionalInterface
public interface Resolver {

  /**
   * All addresses of {@code hostname}.
   *
   * @throws UnknownHostException when the name does not (yet) exist, e.g. a provisioning NLB
   */
  List<InetAddress> resolve(String hostname) throws UnknownHostException;

  /** The JVM's resolver (system DNS, with the JVM's positive and negative caches). */
  static Resolver system() {
    return hostname -> List.of(InetAddress.getAllByName(hostname));
  }
}
