package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** One advertised address of one replica (a list-map entry keyed by replica and address). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RelayEndpoint {

  @JsonPropertyDescription("Replica index.")
  @Required
  private Integer replica;

  @JsonPropertyDescription("Endpoint clients send to: a.b.c.d:port or [v6]:port.")
  @Required
  private String address;

  public RelayEndpoint() {}

  public RelayEndpoint(int replica, String address) {
    this.replica = replica;
    this.address = address;
  }

  public Integer getReplica() {
    return replica;
  }

  public void setReplica(Integer replica) {
    this.replica = replica;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayEndpoint
        && Objects.equals(replica, ((RelayEndpoint) o).replica)
        && Objects.equals(address, ((RelayEndpoint) o).address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replica, address);
  }

  @Override
  public String toString() {
    return replica + "/" + address;
  }
}
