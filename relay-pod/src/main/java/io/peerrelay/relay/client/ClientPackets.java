package io.peerrelay.relay.client;

import io.peerrelay.relay.protocol.AllocationStamp;
import io.peerrelay.relay.protocol.DiscoMessage;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateRequest;
import io.peerrelay.relay.protocol.DiscoMessage.AllocateResponse;
import io.peerrelay.relay.protocol.DiscoMessage.BindMessage;
import io.peerrelay.relay.protocol.DiscoMessage.BindStep;
import io.peerrelay.relay.protocol.DiscoMessage.Ping;
import io.peerrelay.relay.protocol.DiscoMessage.Pong;
import io.peerrelay.relay.protocol.DiscoPacket;
import io.peerrelay.relay.protocol.DiscoPrivateKey;
import io.peerrelay.relay.protocol.DiscoPublicKey;
import io.peerrelay.relay.protocol.DiscoSharedKey;
import io.peerrelay.relay.protocol.Geneve;
import io.peerrelay.relay.protocol.NonceSource;
import io.peerrelay.relay.protocol.UdpRelayEndpoint;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The datagrams one client exchanges with a relay and its peer: pure building and opening, no I/O.
 */
public final class ClientPackets {
  /** Allocation requests are zero-padded to this UDP payload size (PROTOCOL.md §5). */
  public static final int PADDED_REQUEST = 512;

  private final DiscoPublicKey self;
  private final DiscoPublicKey server;
  private final DiscoPublicKey peer;
  private final DiscoSharedKey serverBox;
  private final DiscoSharedKey peerBox;
  private final NonceSource nonces;

  /** Packets for {@code own} talking to relay key {@code server} about {@code peer}. */
  public ClientPackets(
      DiscoPrivateKey own, DiscoPublicKey server, DiscoPublicKey peer, NonceSource nonces) {
    this.self = own.publicKey();
    this.server = server;
    this.peer = peer;
    this.serverBox = DiscoSharedKey.precompute(own, server);
    this.peerBox = DiscoSharedKey.precompute(own, peer);
    this.nonces = nonces;
  }

  /** Own public key. */
  public DiscoPublicKey self() {
    return self;
  }

  /** The peer's key. */
  public DiscoPublicKey peer() {
    return peer;
  }

  /** The sorted pair as the relay orders legs. */
  public DiscoPublicKey[] sortedPair() {
    return self.compareTo(peer) < 0
        ? new DiscoPublicKey[] {self, peer}
        : new DiscoPublicKey[] {peer, self};
  }

  /** A VNI-0 allocation request for the pair, padded to {@code padTo} bytes of UDP payload. */
  public byte[] allocateRequest(int generation, int padTo) {
    return allocateRequest(generation, padTo, AllocationStamp.next(System.currentTimeMillis()));
  }

  /** A padded allocation request carrying the given issued-at stamp (PROTOCOL.md §5; tests). */
  public byte[] allocateRequest(int generation, int padTo, long stampMillis) {
    DiscoPublicKey[] pair = sortedPair();
    byte[] plain = withStamp(new AllocateRequest(pair[0], pair[1], generation), stampMillis);
    int minimum = Geneve.LENGTH + DiscoPacket.OVERHEAD + plain.length;
    byte[] padded = Arrays.copyOf(plain, plain.length + Math.max(0, padTo - minimum));
    return DiscoPacket.sealWithGeneve(Geneve.discoControl(0), self, serverBox, padded, nonces);
  }

  /** Tailscale's 70-byte request followed by our issued-at stamp. */
  public static byte[] withStamp(AllocateRequest request, long stampMillis) {
    byte[] plain = Arrays.copyOf(request.encode(), AllocationStamp.OFFSET + AllocationStamp.LENGTH);
    AllocationStamp.write(plain, stampMillis);
    return plain;
  }

  /** A padded allocation request ({@value #PADDED_REQUEST} bytes). */
  public byte[] allocateRequest(int generation) {
    return allocateRequest(generation, PADDED_REQUEST);
  }

  /** The allocation in a relay's answer, or null if the datagram is not one for us. */
  public UdpRelayEndpoint openAllocateResponse(byte[] datagram, int generation) {
    DiscoMessage m = openControl(datagram, 0);
    if (m instanceof AllocateResponse r && r.generation() == generation) {
      return r.endpoint();
    }
    return null;
  }

  /** A Bind for {@code vni} with handshake generation {@code generation} (non-zero). */
  public byte[] bind(int vni, int generation) {
    return sealToServer(
        vni, new BindMessage(BindStep.BIND, vni, generation, peer, new byte[32]).encode());
  }

  /** The challenge in a relay datagram for {@code vni}, or null (the client checks VNI and key). */
  public BindMessage openChallenge(byte[] datagram, int vni) {
    DiscoMessage m = openControl(datagram, vni);
    if (m instanceof BindMessage b
        && b.step() == BindStep.CHALLENGE
        && b.vni() == vni
        && b.remoteKey().equals(peer)) {
      return b;
    }
    return null;
  }

  /** The Answer echoing {@code challenge}. */
  public byte[] answer(BindMessage challenge) {
    return sealToServer(
        challenge.vni(),
        new BindMessage(
                BindStep.ANSWER,
                challenge.vni(),
                challenge.generation(),
                challenge.remoteKey(),
                challenge.challenge())
            .encode());
  }

  /** A control packet with an arbitrary plaintext, sealed to the server (negative tests). */
  public byte[] sealToServer(int vni, byte[] plain) {
    return DiscoPacket.sealWithGeneve(Geneve.discoControl(vni), self, serverBox, plain, nonces);
  }

  /** A VNI-0 control packet with an arbitrary plaintext, sealed to the server (negative tests). */
  public byte[] sealToZero(byte[] plain) {
    return sealToServer(0, plain);
  }

  /** A disco Ping to the peer through the relay (Geneve data, protocol disco). */
  public byte[] ping(int vni, byte[] txId) {
    return sealToPeer(vni, new Ping(txId, null, 0).encode());
  }

  /** A disco Pong to the peer through the relay. */
  public byte[] pong(int vni, byte[] txId, InetSocketAddress seenFrom) {
    return sealToPeer(vni, new Pong(txId, seenFrom).encode());
  }

  /** A peer message (ping or pong) in a relayed data datagram, or null if it is not one. */
  public DiscoMessage openFromPeer(byte[] datagram, int vni) {
    if (datagram.length < Geneve.LENGTH) {
      return null;
    }
    Geneve g = Geneve.decode(datagram, 0, datagram.length);
    if (g.control() || g.vni() != vni || g.protocol() != Geneve.PROTOCOL_DISCO) {
      return null;
    }
    return open(datagram, peer, peerBox);
  }

  private byte[] sealToPeer(int vni, byte[] plain) {
    return DiscoPacket.sealWithGeneve(
        Geneve.data(Geneve.PROTOCOL_DISCO, vni), self, peerBox, plain, nonces);
  }

  private DiscoMessage openControl(byte[] datagram, int vni) {
    if (datagram.length < Geneve.LENGTH) {
      return null;
    }
    Geneve g = Geneve.decode(datagram, 0, datagram.length);
    if (!g.control() || g.vni() != vni || g.protocol() != Geneve.PROTOCOL_DISCO) {
      return null;
    }
    return open(datagram, server, serverBox);
  }

  private static DiscoMessage open(byte[] datagram, DiscoPublicKey from, DiscoSharedKey box) {
    int len = datagram.length - Geneve.LENGTH;
    if (!DiscoPacket.looksLikeDisco(datagram, Geneve.LENGTH, len)
        || !from.matches(datagram, Geneve.LENGTH + DiscoPacket.SENDER_OFFSET)) {
      return null;
    }
    byte[] plain = DiscoPacket.open(box, datagram, Geneve.LENGTH, len);
    if (plain == null) {
      return null;
    }
    try {
      return DiscoMessage.parse(plain);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
