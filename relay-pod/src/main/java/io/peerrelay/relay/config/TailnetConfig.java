package io.peerrelay.relay.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The tailnet block of the relay config: how this replica joins the tailnet as a node.
 *
 * @param controlUrl the control server, e.g. https://controlplane.tailscale.com
 * @param authKeyFile the file holding the auth key that registers a new node
 * @param stateDir the folder with machine.key and node.key (the node's identity)
 * @param hostname the host name to request (the node's MagicDNS name)
 * @param tags the ACL tags to request, e.g. tag:peer-relay
 */
public record TailnetConfig(
    String controlUrl, Path authKeyFile, Path stateDir, String hostname, List<String> tags) {
  public TailnetConfig {
    tags = List.copyOf(tags);
  }
}
