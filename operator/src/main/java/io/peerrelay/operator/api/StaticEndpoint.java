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

  /** One IPv4 octet, 0..255, without leading zeros. */
  public static final String IPV4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

  /** An IPv4 address literal. */
  public static final String IPV4 = IPV4_OCTET + "(\\." + IPV4_OCTET + "){3}";

  /** A port, 1..65535. */
  public static final String PORT =
      "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";

  /** IPv4 {@code a.b.c.d:port} or IPv6 {@code [addr]:port}. */
  public static final String ADDRESS_PATTERN =
      "^(" + IPV4 + "|\\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\\]):" + PORT + "$";

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
