package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** Session lifetimes of the relay, as Go-style durations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Lifetimes {

  @JsonPropertyDescription(
      "How long an allocated session may wait for both clients to bind. Default 30s.")
  @Default("30s")
  @Pattern(PeerRelaySpec.DURATION_PATTERN)
  @ValidationRule(
      value = PeerRelaySpec.POSITIVE_DURATION_RULE,
      message = "must be more than 0: the relay refuses a zero lifetime")
  private String bind = "30s";

  @JsonPropertyDescription(
      "How long a bound session lives without traffic before it is collected. Default 5m.")
  @Default("5m")
  @Pattern(PeerRelaySpec.DURATION_PATTERN)
  @ValidationRule(
      value = PeerRelaySpec.POSITIVE_DURATION_RULE,
      message = "must be more than 0: the relay refuses a zero lifetime")
  private String steadyState = "5m";

  @JsonPropertyDescription("How often expired sessions are collected. Default 30s.")
  @Default("30s")
  @Pattern(PeerRelaySpec.DURATION_PATTERN)
  @ValidationRule(
      value = PeerRelaySpec.POSITIVE_DURATION_RULE,
      message = "must be more than 0: the relay refuses a zero lifetime")
  private String gcInterval = "30s";

  public String getBind() {
    return bind;
  }

  public void setBind(String bind) {
    this.bind = bind;
  }

  public String getSteadyState() {
    return steadyState;
  }

  public void setSteadyState(String steadyState) {
    this.steadyState = steadyState;
  }

  public String getGcInterval() {
    return gcInterval;
  }

  public void setGcInterval(String gcInterval) {
    this.gcInterval = gcInterval;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Lifetimes)) {
      return false;
    }
    Lifetimes l = (Lifetimes) o;
    return Objects.equals(bind, l.bind)
        && Objects.equals(steadyState, l.steadyState)
        && Objects.equals(gcInterval, l.gcInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bind, steadyState, gcInterval);
  }
}
