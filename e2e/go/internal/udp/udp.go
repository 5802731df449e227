// Package udp holds the socket and framing helpers the test programs' relay clients share.
package udp

import (
	"net"
	"net/netip"
	"time"

	"tailscale.com/net/packet"
)

// Recv returns the next datagram on c within d and its sender, or nil when none came.
func Recv(c *net.UDPConn, d time.Duration) ([]byte, netip.AddrPort) {
	buf := make([]byte, 65535)
	c.SetReadDeadline(time.Now().Add(d))
	n, from, err := c.ReadFromUDPAddrPort(buf)
	if err != nil {
		return nil, netip.AddrPort{}
	}
	return buf[:n], from
}

// WireGuard frames payload as a WireGuard datagram on a relay path: Geneve header (protocol
// WireGuard, VNI vni), then the payload, as magicsock sends it to a peer relay.
func WireGuard(vni uint32, payload []byte) ([]byte, error) {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolWireGuard}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength, packet.GeneveFixedHeaderLength+len(payload))
	if err := gh.Encode(out); err != nil {
		return nil, err
	}
	return append(out, payload...), nil
}
