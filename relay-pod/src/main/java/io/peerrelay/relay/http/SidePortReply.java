package io.peerrelay.relay.http;

/** One HTTP answer of the side port, independent of the server that sends it. */
public record SidePortReply(int status, String contentType, String body) {
  static final String TEXT = "text/plain; charset=utf-8";
  static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  static final String JSON = "application/json";

  static SidePortReply text(int status, String line) {
    return new SidePortReply(status, TEXT, line + "\n");
  }
}
