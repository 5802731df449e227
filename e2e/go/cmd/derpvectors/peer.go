package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"go4.org/mem"
	"peerrelay.io/e2e/go/internal/udp"
	"tailscale.com/derp"
	"tailscale.com/derp/derphttp"
	"tailscale.com/disco"
	"tailscale.com/net/packet"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

// peer is one tailnet node as magicsock behaves towards a peer relay: it pings the relay node over
// DERP, sends AllocateUDPRelayEndpointRequest over DERP, then binds both of the pair's legs on the
// relay's UDP port and passes data, and finally pings the relay's UDP port with a plain disco ping.
// With --expect-refusal it checks that the relay answers nothing to the allocation.
func peer(args []string) {
	fs := flag.NewFlagSet("peer", flag.ExitOnError)
	port := fs.Int("derp-port", 0, "DERP server TLS port on 127.0.0.1")
	relayNodeText := fs.String("relay-node", "", "relay node key (nodekey:...)")
	relayDiscoText := fs.String("relay-disco", "", "relay disco key (discokey:...)")
	relayUDPText := fs.String("relay-udp", "", "relay UDP 127.0.0.1:port")
	nodeText := fs.String("node-key", "", "our node private key (privkey:...)")
	aText := fs.String("disco-a", "", "our disco private key (discoprivkey:...)")
	bText := fs.String("disco-b", "", "the other client's disco private key (discoprivkey:...)")
	region := fs.Int("region", 900, "DERP region id the relay answers pongs with")
	refusal := fs.Bool("expect-refusal", false, "expect no answer to the allocation")
	fs.Parse(args)
	relayNode := parseKey[key.NodePublic](*relayNodeText, "--relay-node")
	relayDisco := parseKey[key.DiscoPublic](*relayDiscoText, "--relay-disco")
	relayUDP, err := netip.ParseAddrPort(*relayUDPText)
	if err != nil {
		fail("--relay-udp: %v", err)
	}
	loopbackOnly("--relay-udp", relayUDP)
	nodeKey := key.NodePrivateFromRaw32(mem.B(hexKey(*nodeText, "privkey:", "--node-key")))
	a := key.DiscoPrivateFromRaw32(mem.B(hexKey(*aText, "discoprivkey:", "--disco-a")))
	b := key.DiscoPrivateFromRaw32(mem.B(hexKey(*bText, "discoprivkey:", "--disco-b")))

	c := regionClient(nodeKey, *port)
	if err := c.Connect(context.Background()); err != nil {
		fail("DERP connect: %v", err)
	}
	ok("connected to DERP as %v", nodeKey.Public())
	rx := make(chan derp.ReceivedPacket, 16)
	go recvLoop(c, rx)
	pair := key.NewSortedPairOfDiscoPublic(a.Public(), b.Public()).Get()
	req := &disco.AllocateUDPRelayEndpointRequest{ClientDisco: pair, Generation: 42}
	if *refusal {
		c.Send(relayNode, sealPlain(a, relayDisco, req))
		if m := awaitDisco(rx, relayNode, a, relayDisco, 3*time.Second); m != nil {
			fail("relay answered a refused allocation with %s", disco.MessageSummary(m))
		}
		ok("no answer to the allocation in 3s")
		return
	}
	derpPing(c, rx, relayNode, a, relayDisco, nodeKey.Public(), *region)
	c.Send(relayNode, sealPlain(a, relayDisco, req))
	m := awaitDisco(rx, relayNode, a, relayDisco, 5*time.Second)
	resp, isResp := m.(*disco.AllocateUDPRelayEndpointResponse)
	if !isResp {
		fail("want AllocateUDPRelayEndpointResponse over DERP, got %s", summary(m))
	}
	checkResponse(resp, relayDisco, pair, relayUDP)
	legs := [2]*leg{newLeg("a", a), newLeg("b", b)}
	for i, l := range legs {
		bind(l, legs[1-i].key.Public(), relayDisco, resp.VNI, relayUDP, uint32(100+i))
	}
	for i := range legs {
		payload := []byte(fmt.Sprintf("wireguard bytes %d", i))
		got := deliver(legs[i], legs[1-i], udp.WireGuard(resp.VNI, payload), relayUDP)
		if !strings.HasSuffix(string(got), string(payload)) {
			fail("%s: got %x through the relay", legs[1-i].name, got)
		}
	}
	ok("data passed both ways on VNI %d", resp.VNI)
	udpPing(legs[0], relayDisco, relayUDP, nodeKey.Public())
	ok("done")
}

func checkResponse(resp *disco.AllocateUDPRelayEndpointResponse, relayDisco key.DiscoPublic, pair [2]key.DiscoPublic, relayUDP netip.AddrPort) {
	if resp.Generation != 42 || resp.ServerDisco != relayDisco || resp.ClientDisco != pair || resp.VNI == 0 {
		fail("response gen %d server %v clients %v VNI %d; want gen 42 server %v clients %v", resp.Generation, resp.ServerDisco, resp.ClientDisco, resp.VNI, relayDisco, pair)
	}
	found := false
	for _, ap := range resp.AddrPorts {
		found = found || ap == relayUDP
	}
	if !found {
		fail("response AddrPorts %v does not hold %v", resp.AddrPorts, relayUDP)
	}
	ok("allocated over DERP: gen %d VNI %d LamportID %d lifetimes %v/%v AddrPorts %v", resp.Generation, resp.VNI, resp.LamportID, resp.BindLifetime, resp.SteadyStateLifetime, resp.AddrPorts)
}

func derpPing(c *derphttp.Client, rx chan derp.ReceivedPacket, relayNode key.NodePublic, a key.DiscoPrivate, relayDisco key.DiscoPublic, self key.NodePublic, region int) {
	ping := &disco.Ping{NodeKey: self}
	rand.Read(ping.TxID[:])
	c.Send(relayNode, sealPlain(a, relayDisco, ping))
	m := awaitDisco(rx, relayNode, a, relayDisco, 5*time.Second)
	pong, isPong := m.(*disco.Pong)
	want := netip.AddrPortFrom(tailcfg.DerpMagicIPAddr, uint16(region))
	if !isPong || pong.TxID != ping.TxID || pong.Src != want {
		fail("want Pong %x src %v over DERP, got %s", ping.TxID, want, summary(m))
	}
	ok("disco ping over DERP answered: pong src %v", pong.Src)
}

func udpPing(l *leg, relayDisco key.DiscoPublic, relayUDP netip.AddrPort, self key.NodePublic) {
	ping := &disco.Ping{NodeKey: self}
	rand.Read(ping.TxID[:])
	for try := 0; try < 5; try++ {
		l.send(sealPlain(l.key, relayDisco, ping), relayUDP)
		got, _ := l.recv(time.Second)
		if got == nil {
			continue
		}
		m, err := openPlain(got, l.key, relayDisco)
		pong, isPong := m.(*disco.Pong)
		local := l.conn.LocalAddr().(*net.UDPAddr).AddrPort()
		if err != nil || !isPong || pong.TxID != ping.TxID || pong.Src != local {
			fail("want Pong %x src %v on UDP, got %s (%v)", ping.TxID, local, summary(m), err)
		}
		ok("plain disco ping on the relay's UDP port answered: pong src %v", pong.Src)
		return
	}
	fail("no Pong on the relay's UDP port in 5 tries")
}

func recvLoop(c *derphttp.Client, rx chan derp.ReceivedPacket) {
	for {
		m, err := c.Recv()
		if err != nil {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if p, isPacket := m.(derp.ReceivedPacket); isPacket {
			rx <- derp.ReceivedPacket{Source: p.Source, Data: append([]byte{}, p.Data...)}
		}
	}
}

// awaitDisco returns the next disco message from `from` over DERP within d, or nil.
func awaitDisco(rx chan derp.ReceivedPacket, from key.NodePublic, self key.DiscoPrivate, sender key.DiscoPublic, d time.Duration) disco.Message {
	deadline := time.After(d)
	for {
		select {
		case p := <-rx:
			if p.Source != from {
				continue
			}
			m, err := openPlain(p.Data, self, sender)
			if err != nil {
				fail("packet over DERP from the relay: %v", err)
			}
			return m
		case <-deadline:
			return nil
		}
	}
}

// sealPlain frames a disco message as magicsock does over DERP and to a plain UDP endpoint.
func sealPlain(from key.DiscoPrivate, to key.DiscoPublic, msg disco.Message) []byte {
	out := append([]byte(disco.Magic), from.Public().AppendTo(nil)...)
	return append(out, from.Shared(to).Seal(msg.AppendMarshal(nil))...)
}

func openPlain(p []byte, self key.DiscoPrivate, from key.DiscoPublic) (disco.Message, error) {
	if !disco.LooksLikeDiscoWrapper(p) {
		return nil, errors.New("not a disco wrapper")
	}
	if sender := key.DiscoPublicFromRaw32(mem.B(p[len(disco.Magic) : len(disco.Magic)+32])); sender != from {
		return nil, fmt.Errorf("sender %v, want %v", sender, from)
	}
	plain, good := self.Shared(from).Open(p[len(disco.Magic)+32:])
	if !good {
		return nil, errors.New("box does not open")
	}
	return disco.Parse(plain)
}

func summary(m disco.Message) string {
	if m == nil {
		return "nothing"
	}
	return disco.MessageSummary(m)
}

func parseKey[T any, P interface {
	*T
	UnmarshalText([]byte) error
}](text, what string) T {
	var k T
	if err := P(&k).UnmarshalText([]byte(text)); err != nil {
		fail("%s: %v", what, err)
	}
	return k
}

func hexKey(text, prefix, what string) []byte {
	h, found := strings.CutPrefix(strings.TrimSpace(text), prefix)
	raw := make([]byte, 32)
	if _, err := fmt.Sscanf(h, "%64x", &raw); !found || err != nil || len(h) != 64 {
		fail("%s: want %s + 64 hex", what, prefix)
	}
	return raw
}

// leg is one client of the pair with its own UDP socket on loopback, as a magicsock would have.
type leg struct {
	name string
	key  key.DiscoPrivate
	conn *net.UDPConn
}

func newLeg(name string, k key.DiscoPrivate) *leg {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		fail("%s: listen: %v", name, err)
	}
	return &leg{name: name, key: k, conn: conn}
}

func (l *leg) send(b []byte, to netip.AddrPort) {
	loopbackOnly("destination", to)
	if _, err := l.conn.WriteToUDPAddrPort(b, to); err != nil {
		fail("%s: send to %v: %v", l.name, to, err)
	}
}

func (l *leg) recv(d time.Duration) ([]byte, netip.AddrPort) { return udp.Recv(l.conn, d) }

// sealGeneve frames a disco message as magicsock does on a relay path: Geneve, magic, sender, box.
func sealGeneve(vni uint32, from key.DiscoPrivate, to key.DiscoPublic, msg disco.Message) []byte {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolDisco, Control: true}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength)
	if err := gh.Encode(out); err != nil {
		fail("geneve encode: %v", err)
	}
	return append(out, sealPlain(from, to, msg)...)
}

// bind runs Tailscale's three-way handshake for one leg, retrying the Bind each second.
func bind(l *leg, remote, server key.DiscoPublic, vni uint32, relay netip.AddrPort, gen uint32) {
	common := disco.BindUDPRelayEndpointCommon{VNI: vni, Generation: gen, RemoteKey: remote}
	req := sealGeneve(vni, l.key, server, &disco.BindUDPRelayEndpoint{BindUDPRelayEndpointCommon: common})
	for try := 0; try < 5; try++ {
		l.send(req, relay)
		got, _ := l.recv(time.Second)
		if len(got) < packet.GeneveFixedHeaderLength {
			continue
		}
		m, err := openPlain(got[packet.GeneveFixedHeaderLength:], l.key, server)
		ch, isChallenge := m.(*disco.BindUDPRelayEndpointChallenge)
		if err != nil || !isChallenge || ch.VNI != vni || ch.Generation != gen {
			fail("%s: want a challenge for VNI %d gen %d, got %s (%v)", l.name, vni, gen, summary(m), err)
		}
		answer := disco.BindUDPRelayEndpointAnswer{BindUDPRelayEndpointCommon: ch.BindUDPRelayEndpointCommon}
		l.send(sealGeneve(vni, l.key, server, &answer), relay)
		ok("%s bound on VNI %d (generation %d)", l.name, vni, gen)
		return
	}
	fail("%s: no challenge from %v in 5 tries", l.name, relay)
}

// deliver sends from one leg through the relay and returns what the other receives (udp.Deliver).
func deliver(from, to *leg, sent []byte, relay netip.AddrPort) []byte {
	loopbackOnly("relay", relay)
	got, err := udp.Deliver(from.conn, to.conn, sent, relay)
	if err != nil {
		fail("%s->%s: %v", from.name, to.name, err)
	}
	return got
}
