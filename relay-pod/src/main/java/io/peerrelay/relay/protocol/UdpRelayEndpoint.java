package io.peerrelay.relay.protocol;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The allocation a relay hands out (PROTOCOL.md §2): 124 bytes plus 18 per address, at least one
 * address.
 *
 * @param serverDisco the relay server's disco key, which seals the bind handshake
 * @param client0 the smaller client key (leg 0)
 * @param client1 the larger client key (leg 1)
 * @param lamportId allocation counter; higher means newer (unsigned)
 * @param vni the session's VNI (unsigned)
 * @param bindLifetime how long the relay waits for both legs to bind
 * @param steadyStateLifetime how long a bound session lives without traffic from a leg
 * @param addrPorts where to send bind messages, in order
 */
public record UdpRelayEndpoint(
    DiscoPublicKey serverDisco,
    DiscoPublicKey client0,
    DiscoPublicKey client1,
    long lamportId,
    int vni,
    Duration bindLifetime,
    Duration steadyStateLifetime,
    List<InetSocketAddress> addrPorts) {

  /** Length without addresses. */
  public static final int FIXED_LENGTH = 124;

  static final DiscoPublicKey ZERO_KEY = DiscoPublicKey.fromRaw(new byte[32]);

  /** The zero value Go parses from a message with a non-zero version. */
  public static final UdpRelayEndpoint ZERO =
      new UdpRelayEndpoint(
          ZERO_KEY, ZERO_KEY, ZERO_KEY, 0, 0, Duration.ZERO, Duration.ZERO, List.of());

  /** Copies the address list. */
  public UdpRelayEndpoint {
    addrPorts = List.copyOf(addrPorts);
  }

  /** Encoded length. */
  public int encodedLength() {
    return FIXED_LENGTH + AddrPort.LENGTH * addrPorts.size();
  }

  /** Writes the structure at {@code off}. */
  public void encode(byte[] out, int off) {
    serverDisco.writeTo(out, off);
    client0.writeTo(out, off + 32);
    client1.writeTo(out, off + 64);
    WireDuration.putLong(out, off + 96, lamportId);
    DiscoMessage.putBe32(out, off + 104, vni);
    WireDuration.write(bindLifetime, out, off + 108);
    WireDuration.write(steadyStateLifetime, out, off + 116);
    for (int i = 0; i < addrPorts.size(); i++) {
      AddrPort.write(addrPorts.get(i), out, off + FIXED_LENGTH + AddrPort.LENGTH * i);
    }
  }

  /** Parses as Go does: fails without an address or with a partial one. */
  public static UdpRelayEndpoint parse(byte[] b, int off, int len) {
    if (len < FIXED_LENGTH + AddrPort.LENGTH || (len - FIXED_LENGTH) % AddrPort.LENGTH != 0) {
      throw new IllegalArgumentException("short message: relay endpoint of " + len + " bytes");
    }
    List<InetSocketAddress> addrs = new ArrayList<>();
    for (int p = off + FIXED_LENGTH; p < off + len; p += AddrPort.LENGTH) {
      addrs.add(AddrPort.read(b, p));
    }
    return new UdpRelayEndpoint(
        DiscoPublicKey.fromRaw(b, off),
        DiscoPublicKey.fromRaw(b, off + 32),
        DiscoPublicKey.fromRaw(b, off + 64),
        WireDuration.getLong(b, off + 96),
        DiscoMessage.be32(b, off + 104),
        WireDuration.read(b, off + 108),
        WireDuration.read(b, off + 116),
        addrs);
  }
}
