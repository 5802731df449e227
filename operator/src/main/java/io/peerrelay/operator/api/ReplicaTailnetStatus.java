package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A replica's node in the tailnet, as the relay reports it on its side port. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaTailnetStatus {

  @JsonPropertyDescription("The node's name in the tailnet (MagicDNS name).")
  private String nodeName;

  @JsonPropertyDescription("The node's tailnet addresses, e.g. 100.64.0.3.")
  private List<String> tailscaleIPs = new ArrayList<>();

  @JsonPropertyDescription("Whether control reports the node online.")
  private Boolean online;

  public ReplicaTailnetStatus() {}

  public ReplicaTailnetStatus(String nodeName, List<String> tailscaleIPs, Boolean online) {
    this.nodeName = nodeName;
    this.tailscaleIPs = tailscaleIPs == null ? new ArrayList<>() : new ArrayList<>(tailscaleIPs);
    this.online = online;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public List<String> getTailscaleIPs() {
    return tailscaleIPs;
  }

  public void setTailscaleIPs(List<String> tailscaleIPs) {
    this.tailscaleIPs = tailscaleIPs;
  }

  public Boolean getOnline() {
    return online;
  }

  public void setOnline(Boolean online) {
    this.online = online;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaTailnetStatus r
        && Objects.equals(nodeName, r.nodeName)
        && Objects.equals(tailscaleIPs, r.tailscaleIPs)
        && Objects.equals(online, r.online);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeName, tailscaleIPs, online);
  }
}
