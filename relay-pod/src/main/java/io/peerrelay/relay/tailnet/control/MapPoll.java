package io.peerrelay.relay.tailnet.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.tailnet.key.TailnetKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One streaming map poll on a connection: posts the MapRequest and hands each decoded MapResponse
 * (keep-alives included) to a consumer on the connection's event loop. {@link #done()} completes
 * when the stream ends: normally only when the server or {@link #cancel()} ends it.
 */
public final class MapPoll {
  /** The largest single MapResponse accepted (a big tailnet's first netmap is a few MiB). */
  public static final int MAX_MESSAGE = 64 << 20;

  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final CompletableFuture<Http2StreamChannel> stream;

  private MapPoll(
      ControlConnection connection, byte[] request, TailnetKey nodeKey, Consumer<JsonNode> sink) {
    MapStreamDecoder decoder = new MapStreamDecoder(MAX_MESSAGE);
    int[] status = {0};
    stream =
        ControlCalls.post(
            connection,
            ControlProtocol.MAP_PATH,
            request,
            List.of(nodeKey),
            new ControlCalls.StreamListener() {
              @Override
              public void onStatus(int s) {
                status[0] = s;
              }

              @Override
              public void onData(byte[] chunk) throws IOException {
                if (status[0] != 200) {
                  throw new ControlException(
                      "map poll answered HTTP " + status[0] + ": " + text(chunk));
                }
                for (byte[] message : decoder.feed(chunk, 0, chunk.length)) {
                  sink.accept(ControlRequests.JSON.readTree(message));
                }
              }

              @Override
              public void onEnd(Throwable error) {
                if (error == null && status[0] != 200) {
                  error = new ControlException("map poll answered HTTP " + status[0]);
                }
                if (error == null) {
                  done.complete(null);
                } else {
                  done.completeExceptionally(error);
                }
              }
            });
  }

  /** Starts the streaming poll. */
  public static MapPoll start(
      ControlConnection connection,
      TailnetKey nodeKey,
      DiscoPublicKey discoKey,
      List<InetSocketAddress> endpoints,
      ControlRequests.Hostinfo hostinfo,
      Consumer<JsonNode> sink) {
    byte[] request = ControlRequests.map(nodeKey, discoKey, endpoints, hostinfo, true);
    return new MapPoll(connection, request, nodeKey, sink);
  }

  private static String text(byte[] chunk) {
    String s =
        new String(chunk, 0, Math.min(chunk.length, 200), java.nio.charset.StandardCharsets.UTF_8);
    return s.strip();
  }

  /** Completes when the stream has ended, exceptionally unless it ended cleanly. */
  public CompletableFuture<Void> done() {
    return done;
  }

  /** Ends the poll (its stream only; the connection stays). */
  public void cancel() {
    stream.thenAccept(Http2StreamChannel::close);
    done.complete(null);
  }
}
