package io.peerrelay.relay.tailnet.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * What control answered a RegisterRequest (tailcfg.RegisterResponse).
 *
 * @param nodeKeyExpired the node key must be replaced
 * @param machineAuthorized the tailnet admin has approved this machine
 * @param authUrl if not empty, control wants an interactive login there
 * @param error if not empty, control refused (for example an invalid auth key)
 * @param loginName the owning login's name, "" if not sent
 */
public record RegisterResult(
    boolean nodeKeyExpired,
    boolean machineAuthorized,
    String authUrl,
    String error,
    String loginName) {

  /** Reads the JSON body. */
  public static RegisterResult parse(byte[] body) throws IOException {
    JsonNode r = ControlRequests.JSON.readTree(body);
    if (r == null || !r.isObject()) {
      throw new ControlException("the register answer is not a JSON object");
    }
    return new RegisterResult(
        r.path("NodeKeyExpired").asBoolean(false),
        r.path("MachineAuthorized").asBoolean(false),
        r.path("AuthURL").asText(""),
        r.path("Error").asText(""),
        r.path("Login").path("LoginName").asText(""));
  }

  /** True when the node is registered and may poll. */
  public boolean ok() {
    return error.isEmpty() && authUrl.isEmpty() && !nodeKeyExpired;
  }
}
