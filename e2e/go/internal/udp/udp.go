// Package udp holds the socket and framing helpers the test programs' relay clients share.
package udp

import (
	"fmt"
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
func WireGuard(vni uint32, payload []byte) []byte {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolWireGuard}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength, packet.GeneveFixedHeaderLength+len(payload))
	if err := gh.Encode(out); err != nil {
		panic(err) // only a buffer shorter than the fixed header fails, and this one is not
	}
	return append(out, payload...)
}

// Deliver sends sent from one client's socket to the relay and returns what the other client's
// socket receives, resending up to 5 times a second apart: the relay may still be processing the
// receiver's last bind Answer (relay-pod/PROTOCOL.md §3, step 5). What arrives from any other
// address than the relay's is an error. A Geneve control packet (the relay's own answer, such as
// a second Challenge to a Bind resent while the relay was slow) is never forwarded data: skipped.
func Deliver(from, to *net.UDPConn, sent []byte, relay netip.AddrPort) ([]byte, error) {
	for try := 0; try < 5; try++ {
		if _, err := from.WriteToUDPAddrPort(sent, relay); err != nil {
			return nil, fmt.Errorf("send to %v: %w", relay, err)
		}
		for got, src := Recv(to, time.Second); got != nil; got, src = Recv(to, time.Second) {
			if src != relay {
				return nil, fmt.Errorf("datagram came from %v, want the relay %v", src, relay)
			}
			var gh packet.GeneveHeader
			if gh.Decode(got) != nil || !gh.Control {
				return got, nil
			}
		}
	}
	return nil, fmt.Errorf("nothing arrived through %v in 5 tries", relay)
}
