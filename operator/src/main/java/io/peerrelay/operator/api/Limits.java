package io.peerrelay.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** Abuse limits of the relay: session cap and per-source handshake rate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Limits {

  @JsonPropertyDescription(
      "Maximum concurrent sessions per replica; allocations beyond it are refused. Default"
          + " 100000.")
  @Default("100000")
  @Min(1)
  @Max(10000000)
  private Integer maxSessions = 100000;

  @JsonPropertyDescription(
      "Sustained handshake packets per second accepted from one source address. Default 20.")
  @Default("20")
  @Min(1)
  @Max(100000)
  private Integer handshakesPerSecondPerSource = 20;

  @JsonPropertyDescription(
      "Handshake burst accepted from one source address before the rate applies. Default 40.")
  @Default("40")
  @Min(1)
  @Max(100000)
  private Integer handshakeBurstPerSource = 40;

  public Integer getMaxSessions() {
    return maxSessions;
  }

  public void setMaxSessions(Integer maxSessions) {
    this.maxSessions = maxSessions;
  }

  public Integer getHandshakesPerSecondPerSource() {
    return handshakesPerSecondPerSource;
  }

  public void setHandshakesPerSecondPerSource(Integer handshakesPerSecondPerSource) {
    this.handshakesPerSecondPerSource = handshakesPerSecondPerSource;
  }

  public Integer getHandshakeBurstPerSource() {
    return handshakeBurstPerSource;
  }

  public void setHandshakeBurstPerSource(Integer handshakeBurstPerSource) {
    this.handshakeBurstPerSource = handshakeBurstPerSource;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Limits)) {
      return false;
    }
    Limits l = (Limits) o;
    return Objects.equals(maxSessions, l.maxSessions)
        && Objects.equals(handshakesPerSecondPerSource, l.handshakesPerSecondPerSource)
        && Objects.equals(handshakeBurstPerSource, l.handshakeBurstPerSource);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxSessions, handshakesPerSecondPerSource, handshakeBurstPerSource);
  }
}
