package main

// Packet framing with Tailscale's own packages (disco, net/packet, types/key), so the generator
// binds to both relays exactly as a Tailscale client would.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"go4.org/mem"
	"tailscale.com/disco"
	"tailscale.com/net/packet"
	"tailscale.com/types/key"
)

// sealDisco frames a disco message as magicsock does on a relay path: Geneve, magic, sender, box.
func sealDisco(vni uint32, from key.DiscoPrivate, to key.DiscoPublic, msg disco.Message, padTo int) []byte {
	return sealPlain(vni, from, to, msg.AppendMarshal(nil), padTo)
}

// sealStamped seals a VNI-0 request with our relay's 8-byte issued-at stamp (unix milliseconds,
// big-endian) right after Tailscale's message, where Tailscale's own request has zero padding.
func sealStamped(from key.DiscoPrivate, to key.DiscoPublic, msg disco.Message, padTo int) []byte {
	plain := binary.BigEndian.AppendUint64(msg.AppendMarshal(nil), uint64(time.Now().UnixMilli()))
	return sealPlain(0, from, to, plain, padTo)
}

func sealPlain(vni uint32, from key.DiscoPrivate, to key.DiscoPublic, plain []byte, padTo int) []byte {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolDisco, Control: true}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength)
	gh.Encode(out)
	out = append(out, disco.Magic...)
	out = from.Public().AppendTo(out)
	if pad := padTo - len(out) - disco.NonceLen - 16 - len(plain); pad > 0 {
		plain = append(plain, make([]byte, pad)...)
	}
	return append(out, from.Shared(to).Seal(plain)...)
}

// openDisco parses a control datagram the relay (server key) sent to self.
func openDisco(b []byte, self key.DiscoPrivate, server key.DiscoPublic) (disco.Message, error) {
	var gh packet.GeneveHeader
	if err := gh.Decode(b); err != nil {
		return nil, err
	}
	p := b[packet.GeneveFixedHeaderLength:]
	if !disco.LooksLikeDiscoWrapper(p) {
		return nil, errors.New("not a disco wrapper")
	}
	sender := key.DiscoPublicFromRaw32(mem.B(p[len(disco.Magic) : len(disco.Magic)+32]))
	if sender != server {
		return nil, fmt.Errorf("sender %v is not the relay %v", sender.ShortString(), server.ShortString())
	}
	plain, good := self.Shared(server).Open(p[len(disco.Magic)+32:])
	if !good {
		return nil, errors.New("box does not open")
	}
	return disco.Parse(plain)
}

// wireGuardDatagram is a Geneve-wrapped WireGuard transport-data packet of size bytes (the
// WireGuard part; the relay sees size+8).
func wireGuardDatagram(vni uint32, size int) []byte {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolWireGuard}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength+size)
	gh.Encode(out)
	out[packet.GeneveFixedHeaderLength] = 4 // WireGuard message type 4: transport data
	return out
}

// exchange sends req to the relay from l until an answer that want accepts arrives (tries x
// every); late answers to earlier tries (of this or a previous exchange) are skipped.
func exchange(l *clientLeg, req []byte, relay netip.AddrPort, server key.DiscoPublic, tries int, every time.Duration, want func(disco.Message) bool) (disco.Message, error) {
	buf := make([]byte, 2048)
	var last error
	for try := 0; try < tries; try++ {
		if err := l.sendTo(req, relay); err != nil {
			return nil, err
		}
		end := time.Now().Add(every)
		for left := every; left > 0; left = time.Until(end) {
			got, _, ok := l.recv(buf, left)
			if !ok {
				break
			}
			m, err := openDisco(got, l.key, server)
			if err == nil && want(m) {
				return m, nil
			}
			last = fmt.Errorf("unexpected answer %v (%v)", disco.MessageSummary(m), err)
		}
	}
	return nil, fmt.Errorf("no answer from %v in %d tries (last: %v)", relay, tries, last)
}

// allocateOurs asks our relay for a session with the VNI-0 extension (relay-pod/README.md).
func allocateOurs(l *clientLeg, peer key.DiscoPublic, relay netip.AddrPort, server key.DiscoPublic, tries int, every time.Duration) (uint32, error) {
	pair := key.NewSortedPairOfDiscoPublic(l.key.Public(), peer).Get()
	var m disco.Message
	var err error
	// Our relay takes an allocation only with a fresh issued-at stamp, later than the key's last
	// (relay-pod/PROTOCOL.md §5): a try it took but did not answer would make a resend of the same
	// bytes a replay, so every try is sealed anew.
	for left := tries; left > 0; left-- {
		req := sealStamped(l.key, server, &disco.AllocateUDPRelayEndpointRequest{ClientDisco: pair, Generation: 1}, 512)
		m, err = exchange(l, req, relay, server, 1, every, func(m disco.Message) bool {
			_, ok := m.(*disco.AllocateUDPRelayEndpointResponse)
			return ok
		})
		if err == nil {
			break
		}
	}
	if err != nil {
		return 0, fmt.Errorf("allocation: %v (is the client key granted?)", err)
	}
	r, ok := m.(*disco.AllocateUDPRelayEndpointResponse)
	if !ok {
		return 0, fmt.Errorf("allocation answer is %s", disco.MessageSummary(m))
	}
	return r.VNI, nil
}

// bindLeg runs the 3-way bind handshake (Bind, Challenge, Answer) for one leg.
func bindLeg(l *clientLeg, peer key.DiscoPublic, vni uint32, relay netip.AddrPort, server key.DiscoPublic, tries int, every time.Duration) error {
	common := disco.BindUDPRelayEndpointCommon{VNI: vni, Generation: 1, RemoteKey: peer}
	req := sealDisco(vni, l.key, server, &disco.BindUDPRelayEndpoint{BindUDPRelayEndpointCommon: common}, 0)
	m, err := exchange(l, req, relay, server, tries, every, func(m disco.Message) bool {
		ch, ok := m.(*disco.BindUDPRelayEndpointChallenge)
		return ok && ch.VNI == vni
	})
	if err != nil {
		return fmt.Errorf("bind VNI %d: %v", vni, err)
	}
	ch, ok := m.(*disco.BindUDPRelayEndpointChallenge)
	if !ok {
		return fmt.Errorf("bind VNI %d: answer is %s, want a challenge", vni, disco.MessageSummary(m))
	}
	answer := disco.BindUDPRelayEndpointAnswer{BindUDPRelayEndpointCommon: ch.BindUDPRelayEndpointCommon}
	return l.sendTo(sealDisco(vni, l.key, server, &answer, 0), relay)
}

// clientLeg is a leg with a disco key.
type clientLeg struct {
	*leg
	key key.DiscoPrivate
}
