package io.peerrelay.relay.tailnet.relay;

import io.peerrelay.relay.core.PlainDiscoHandler;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import java.net.InetSocketAddress;

/**
 * Answers a peer's plain disco ping on the relay's UDP port with a pong naming the address it came
 * from, as magicsock answers pings on a node's endpoints, so {@code tailscale ping <relay>} works
 * over UDP. Only peers in the netmap are answered, and only when the pong is no bigger than the
 * ping (Tailscale's pings carry a node key, so their pongs always are smaller).
 */
final class PlainDiscoPongs implements PlainDiscoHandler {
  private final DiscoBoxes boxes;
  private final PeerDirectory peers;
  private final TailnetMetrics metrics;

  PlainDiscoPongs(DiscoBoxes boxes, PeerDirectory peers, TailnetMetrics metrics) {
    this.boxes = boxes;
    this.peers = peers;
    this.metrics = metrics;
  }

  @Override
  public byte[] answer(byte[] packet, InetSocketAddress source) {
    if (!DiscoPacket.looksLikeDisco(packet, 0, packet.length)) {
      return null;
    }
    DiscoPublicKey sender = DiscoPacket.sender(packet, 0);
    if (peers.peerByDiscoKey(sender).isEmpty()) {
      metrics.ping(TailnetMetrics.PingPath.UDP, false);
      return null;
    }
    byte[] plain = boxes.open(sender, packet);
    if (plain == null) {
      return null;
    }
    DiscoMessage msg;
    try {
      msg = DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!(msg instanceof Ping ping)) {
      return null;
    }
    byte[] pong = boxes.seal(sender, new Pong(ping.txId(), source));
    if (pong.length > packet.length) {
      metrics.ping(TailnetMetrics.PingPath.UDP, false);
      return null;
    }
    metrics.ping(TailnetMetrics.PingPath.UDP, true);
    return pong;
  }
}
