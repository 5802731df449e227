package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** An ip:port advertised as-is, for one replica or for all of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StaticEndpoint {

  /** IPv4 {@code a.b.c.d:port} or IPv6 {@code [addr]:port}. */
  public static final String ADDRESS_PATTERN =
      "^([0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}$";

  @JsonPropertyDescription(
      "The endpoint, IPv4 a.b.c.d:port or IPv6 [addr]:port. Advertised with its own port.")
  @Required
  @Pattern(ADDRESS_PATTERN)
  private String address;

  @JsonPropertyDescription(
      "Replica index this endpoint belongs to. Absent: advertised by every replica.")
  @Min(0)
  @Max(63)
  private Integer replica;

  public StaticEndpoint() {}

  public StaticEndpoint(String address, Integer replica) {
    this.address = address;
    this.replica = replica;
  }

  public String getAddress() {
    return address;
  }

  public void setAddress(String address) {
    this.address = address;
  }

  public Integer getReplica() {
    return replica;
  }

  public void setReplica(Integer replica) {
    this.replica = replica;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StaticEndpoint
        && Objects.equals(address, ((StaticEndpoint) o).address)
        && Objects.equals(replica, ((StaticEndpoint) o).replica);
  }

  @Override
  public int hashCode() {
    return Objects.hash(address, replica);
  }
}
