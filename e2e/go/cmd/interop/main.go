// Command interop checks that PeerRelay's relay is byte-compatible with Tailscale's, using
// Tailscale's own packages (tailscale.com, pinned in go.mod) in both directions:
//
//	interop keygen                      a client key pair (discoprivkey:/discokey: lines)
//	interop client  --relay ... --server-key ... --key-a ... --key-b ... [--metrics-url ...]
//	                                    Tailscale's disco/Geneve code drives OUR relay
//	interop server  --port P --http 127.0.0.1:H
//	                                    Tailscale's udprelay.Server, for OUR client to bind through
//	interop allocate --api URL --a discokey:... --b discokey:...
//	                                    POST /allocate on the server mode's API; prints "VNI SERVERKEY"
//	interop forwarded --metrics-url URL prints the forwarded-packet total of a relay's /metrics
//	interop freeport                    a UDP port free on 0.0.0.0 and [::] (and as TCP on 127.0.0.1)
//	interop httpok URL                  exit 0 when GET URL answers 200
//
// Every check prints one "ok ..." line; the first failure prints "FAIL ..." and exits 1.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"go4.org/mem"
	"peerrelay.io/e2e/go/internal/udp"
	"tailscale.com/disco"
	"tailscale.com/net/packet"
	"tailscale.com/net/udprelay"
	"tailscale.com/types/key"
	"tailscale.com/types/views"
	"tailscale.com/util/usermetric"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: interop keygen|client|server|allocate|forwarded|freeport|httpok [flags]")
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "keygen":
		keygen()
	case "client":
		client(args)
	case "server":
		server(args)
	case "allocate":
		allocate(args)
	case "forwarded":
		fs := flag.NewFlagSet("forwarded", flag.ExitOnError)
		url := fs.String("metrics-url", "", "relay /metrics URL")
		fs.Parse(args)
		n, err := forwardedPackets(*url)
		if err != nil {
			fail("%v", err)
		}
		fmt.Println(n)
	case "freeport":
		freeport()
	case "httpok":
		// Exits 0 when GET URL answers 200 within 2 s (the run script's readiness probe).
		resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(os.Args[len(os.Args)-1])
		if err != nil || resp.StatusCode != 200 {
			os.Exit(1)
		}
	default:
		fail("unknown mode %q", os.Args[1])
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

func ok(format string, args ...any) {
	fmt.Printf("ok   "+format+"\n", args...)
}

// keygen prints a private key in PeerRelay's text form (Tailscale has none for disco private keys)
// and its public key in Tailscale's. The key is clamped as key.NewDisco clamps it.
func keygen() {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		fail("random: %v", err)
	}
	raw[0] &= 248
	raw[31] = (raw[31] & 127) | 64
	k := key.DiscoPrivateFromRaw32(mem.B(raw[:]))
	fmt.Printf("discoprivkey:%x\n%v\n", raw[:], k.Public())
}

func parsePrivate(text string) (key.DiscoPrivate, error) {
	h, found := strings.CutPrefix(strings.TrimSpace(text), "discoprivkey:")
	raw, err := hex.DecodeString(h)
	if !found || err != nil || len(raw) != 32 {
		return key.DiscoPrivate{}, fmt.Errorf("not a disco private key (want discoprivkey: + 64 hex)")
	}
	return key.DiscoPrivateFromRaw32(mem.B(raw)), nil
}

func parsePublic(text string) (key.DiscoPublic, error) {
	var k key.DiscoPublic
	err := k.UnmarshalText([]byte(strings.TrimSpace(text)))
	return k, err
}

// seal frames a disco message the way magicsock does on a relay path: Geneve ‖ magic ‖ sender ‖ box.
func seal(vni uint32, control bool, from key.DiscoPrivate, to key.DiscoPublic, msg disco.Message, padTo int) []byte {
	gh := packet.GeneveHeader{Protocol: packet.GeneveProtocolDisco, Control: control}
	gh.VNI.Set(vni)
	out := make([]byte, packet.GeneveFixedHeaderLength)
	if err := gh.Encode(out); err != nil {
		fail("geneve encode: %v", err)
	}
	out = append(out, disco.Magic...)
	out = from.Public().AppendTo(out)
	plain := msg.AppendMarshal(nil)
	if _, isAlloc := msg.(*disco.AllocateUDPRelayEndpointRequest); isAlloc && vni == 0 {
		// Our VNI-0 extension's issued-at stamp (relay-pod/PROTOCOL.md §5): unix ms, big-endian,
		// right after Tailscale's 70-byte request; Tailscale's codec is used unchanged for the rest.
		plain = binary.BigEndian.AppendUint64(plain, uint64(time.Now().UnixMilli()))
	}
	if pad := padTo - len(out) - disco.NonceLen - 16 - len(plain); pad > 0 {
		plain = append(plain, make([]byte, pad)...)
	}
	return append(out, from.Shared(to).Seal(plain)...)
}

// open checks the Geneve header and the disco wrapper of a datagram from `from`, and parses it.
func open(b []byte, wantVNI uint32, wantControl bool, self key.DiscoPrivate, from key.DiscoPublic) (disco.Message, error) {
	var gh packet.GeneveHeader
	if err := gh.Decode(b); err != nil {
		return nil, fmt.Errorf("geneve: %v", err)
	}
	if gh.Protocol != packet.GeneveProtocolDisco || gh.Control != wantControl || gh.VNI.Get() != wantVNI || gh.Version != 0 {
		return nil, fmt.Errorf("geneve header %+v (vni %d), want disco control=%v vni %d", gh, gh.VNI.Get(), wantControl, wantVNI)
	}
	p := b[packet.GeneveFixedHeaderLength:]
	if !disco.LooksLikeDiscoWrapper(p) {
		return nil, errors.New("not a disco wrapper")
	}
	sender := key.DiscoPublicFromRaw32(mem.B(p[len(disco.Magic) : len(disco.Magic)+32]))
	if sender != from {
		return nil, fmt.Errorf("sender %v, want %v", sender, from)
	}
	plain, good := self.Shared(from).Open(p[len(disco.Magic)+32:])
	if !good {
		return nil, errors.New("box does not open")
	}
	return disco.Parse(plain)
}

// leg is one client: its key and its own UDP socket, as a magicsock would have.
type leg struct {
	name string
	key  key.DiscoPrivate
	conn *net.UDPConn
}

func (l *leg) send(b []byte, to netip.AddrPort) {
	if _, err := l.conn.WriteToUDPAddrPort(b, to); err != nil {
		fail("%s: send to %v: %v", l.name, to, err)
	}
}

// recv returns the next datagram within d, or nil.
func (l *leg) recv(d time.Duration) ([]byte, netip.AddrPort) { return udp.Recv(l.conn, d) }

func client(args []string) {
	fs := flag.NewFlagSet("client", flag.ExitOnError)
	relayText := fs.String("relay", "", "relay UDP ip:port")
	serverText := fs.String("server-key", "", "relay server disco key (discokey:...)")
	aText := fs.String("key-a", "", "client A private key (discoprivkey:...)")
	bText := fs.String("key-b", "", "client B private key (discoprivkey:...)")
	metricsURL := fs.String("metrics-url", "", "relay /metrics URL (optional): forwarded packets must grow")
	fs.Parse(args)
	relay, err := netip.ParseAddrPort(*relayText)
	if err != nil {
		fail("--relay: %v", err)
	}
	server, err := parsePublic(*serverText)
	if err != nil {
		fail("--server-key: %v", err)
	}
	keys := [2]key.DiscoPrivate{}
	for i, t := range []string{*aText, *bText} {
		if keys[i], err = parsePrivate(t); err != nil {
			fail("--key-%c: %v", 'a'+i, err)
		}
	}
	local := "127.0.0.1:0"
	if relay.Addr().Is6() {
		local = "[::1]:0"
	}
	var legs [2]*leg
	for i, name := range []string{"A", "B"} {
		c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(netip.MustParseAddrPort(local)))
		if err != nil {
			fail("listen: %v", err)
		}
		defer c.Close()
		legs[i] = &leg{name, keys[i], c}
	}
	a, b := legs[0], legs[1]
	var before int64
	if *metricsURL != "" {
		if before, err = forwardedPackets(*metricsURL); err != nil {
			fail("%v", err)
		}
	}

	// 1. Allocation through our VNI-0 extension (relay-pod/PROTOCOL.md §5), with Tailscale's message codec.
	pair := key.NewSortedPairOfDiscoPublic(a.key.Public(), b.key.Public()).Get()
	unpadded := seal(0, true, a.key, server, &disco.AllocateUDPRelayEndpointRequest{ClientDisco: pair, Generation: 41}, 0)
	a.send(unpadded, relay)
	if got, _ := a.recv(700 * time.Millisecond); got != nil {
		fail("an unpadded (%d-byte) allocation request got a %d-byte answer; the relay must drop it", len(unpadded), len(got))
	}
	ok("unpadded %d-byte allocation request dropped (no answer in 700 ms)", len(unpadded))

	allocs := [2]*disco.AllocateUDPRelayEndpointResponse{}
	for i, l := range legs {
		gen := uint32(42 + i)
		var resp *disco.AllocateUDPRelayEndpointResponse
		var size, reqLen int
		for try := 0; try < 5 && resp == nil; try++ {
			// Sealed anew each try: the relay takes an issued-at stamp once (PROTOCOL.md §5).
			req := seal(0, true, l.key, server, &disco.AllocateUDPRelayEndpointRequest{ClientDisco: pair, Generation: gen}, 512)
			if len(req) < 512 {
				fail("request is %d bytes", len(req))
			}
			reqLen = len(req)
			l.send(req, relay)
			got, _ := l.recv(time.Second)
			if got == nil {
				continue
			}
			m, err := open(got, 0, true, l.key, server)
			if err != nil {
				fail("%s: allocation answer: %v", l.name, err)
			}
			r, isResp := m.(*disco.AllocateUDPRelayEndpointResponse)
			if !isResp {
				fail("%s: allocation answer is %s, want AllocateUDPRelayEndpointResponse", l.name, disco.MessageSummary(m))
			}
			resp, size = r, len(got)
		}
		if resp == nil {
			fail("%s: no allocation answer from %v in 5 tries (is %v granted in allowedClientKeys?)", l.name, relay, l.key.Public())
		}
		switch {
		case resp.Generation != gen:
			fail("%s: answer generation %d, want %d", l.name, resp.Generation, gen)
		case resp.ServerDisco != server:
			fail("%s: ServerDisco %v, want %v", l.name, resp.ServerDisco, server)
		case resp.ClientDisco != pair:
			fail("%s: ClientDisco %v, want the sorted pair %v", l.name, resp.ClientDisco, pair)
		case resp.VNI == 0 || resp.VNI > 1<<24-1:
			fail("%s: VNI %d outside 1..2^24-1", l.name, resp.VNI)
		case resp.BindLifetime != 30*time.Second || resp.SteadyStateLifetime != 5*time.Minute:
			fail("%s: lifetimes %v/%v, want the defaults 30s/5m0s", l.name, resp.BindLifetime, resp.SteadyStateLifetime)
		case !slices.Contains(resp.AddrPorts, relay):
			fail("%s: AddrPorts %v do not contain %v", l.name, resp.AddrPorts, relay)
		case size > reqLen:
			fail("%s: answer %d bytes > request %d bytes (amplification)", l.name, size, reqLen)
		}
		allocs[i] = resp
		ok("%s allocated on VNI 0: disco.Parse -> AllocateUDPRelayEndpointResponse gen %d, VNI %d, LamportID %d, server %v, lifetimes %v/%v, AddrPorts %v (%d-byte answer to a %d-byte request)",
			l.name, resp.Generation, resp.VNI, resp.LamportID, resp.ServerDisco.ShortString(), resp.BindLifetime, resp.SteadyStateLifetime, resp.AddrPorts, size, reqLen)
	}
	if allocs[0].VNI != allocs[1].VNI || allocs[0].LamportID != allocs[1].LamportID {
		fail("A and B got different sessions: VNI %d/%d LamportID %d/%d", allocs[0].VNI, allocs[1].VNI, allocs[0].LamportID, allocs[1].LamportID)
	}
	ok("A and B allocated the same session (VNI %d, LamportID %d): allocation is idempotent per pair", allocs[0].VNI, allocs[0].LamportID)

	runSession(legs, server, allocs[0].VNI, relay)

	if *metricsURL != "" {
		after, err := forwardedPackets(*metricsURL)
		if err != nil {
			fail("%v", err)
		}
		if after <= before {
			fail("tailscaled_peer_relay_forwarded_packets_total did not move (%d -> %d)", before, after)
		}
		ok("relay metric tailscaled_peer_relay_forwarded_packets_total %d -> %d", before, after)
	}
	fmt.Println("PASS Tailscale's client packages allocated, bound and forwarded through the relay")
}

// runSession binds both legs and checks forwarding: Tailscale's handshake, data and ping/pong code.
func runSession(legs [2]*leg, server key.DiscoPublic, vni uint32, relay netip.AddrPort) {
	a, b := legs[0], legs[1]
	// Data before both legs are bound must be dropped (relay-pod/PROTOCOL.md §4).
	for i, l := range legs {
		bind(l, legs[1-i].key.Public(), server, vni, relay, uint32(100+i))
		if i == 0 {
			l.send(udp.WireGuard(vni, []byte("early")), relay)
		}
	}
	if got, _ := b.recv(300 * time.Millisecond); got != nil {
		fail("B received %d bytes sent before both legs were bound", len(got))
	}
	ok("data sent while only A was bound was not forwarded")

	// A second handshake per leg (server_test.go does the same): a re-bind with a new generation
	// must keep the session working.
	for i, l := range legs {
		bind(l, legs[1-i].key.Public(), server, vni, relay, uint32(200+i))
	}

	for _, size := range []int{32, 148, 1280} {
		for _, dir := range [][2]*leg{{a, b}, {b, a}} {
			payload := make([]byte, size)
			rand.Read(payload)
			payload[0] = 4 // WireGuard transport-data type, as a real WireGuard packet starts.
			sent := udp.WireGuard(vni, payload)
			got := deliver(dir[0], dir[1], sent, relay)
			if !bytes.Equal(got, sent) {
				fail("%s->%s %d-byte WireGuard datagram arrived changed:\n sent %x\n got  %x", dir[0].name, dir[1].name, len(sent), sent, got)
			}
			ok("%s->%s WireGuard datagram (%d bytes, Geneve protocol 0x%x VNI %d) delivered byte-identical", dir[0].name, dir[1].name, len(sent), packet.GeneveProtocolWireGuard, vni)
		}
	}

	for _, dir := range [][2]*leg{{a, b}, {b, a}} {
		from, to := dir[0], dir[1]
		ping := &disco.Ping{NodeKey: key.NewNode().Public()}
		rand.Read(ping.TxID[:])
		sent := seal(vni, false, from.key, to.key.Public(), ping, 0)
		got := deliver(from, to, sent, relay)
		if !bytes.Equal(got, sent) {
			fail("%s->%s disco ping changed in transit", from.name, to.name)
		}
		m, err := open(got, vni, false, to.key, from.key.Public())
		if err != nil {
			fail("%s: ping from %s: %v", to.name, from.name, err)
		}
		p, isPing := m.(*disco.Ping)
		if !isPing || p.TxID != ping.TxID || p.NodeKey != ping.NodeKey {
			fail("%s: got %s, want the ping %x", to.name, disco.MessageSummary(m), ping.TxID)
		}
		pong := seal(vni, false, to.key, from.key.Public(), &disco.Pong{TxID: p.TxID, Src: relay}, 0)
		got = deliver(to, from, pong, relay)
		m, err = open(got, vni, false, from.key, to.key.Public())
		if err != nil {
			fail("%s: pong from %s: %v", from.name, to.name, err)
		}
		if q, isPong := m.(*disco.Pong); !isPong || q.TxID != ping.TxID || q.Src != relay {
			fail("%s: got %s, want the pong to %x", from.name, disco.MessageSummary(m), ping.TxID)
		}
		ok("%s->%s disco Ping (TxID %x) and the Pong back, sealed with the client-to-client key, relayed and opened", from.name, to.name, ping.TxID[:4])
	}
}

// bind runs Tailscale's 3-way handshake for one leg (relay-pod/PROTOCOL.md §3), retrying the Bind each second.
func bind(l *leg, remote, server key.DiscoPublic, vni uint32, relay netip.AddrPort, gen uint32) {
	common := disco.BindUDPRelayEndpointCommon{VNI: vni, Generation: gen, RemoteKey: remote}
	req := seal(vni, true, l.key, server, &disco.BindUDPRelayEndpoint{BindUDPRelayEndpointCommon: common}, 0)
	for try := 0; try < 5; try++ {
		l.send(req, relay)
		got, from := l.recv(time.Second)
		if got == nil {
			continue
		}
		m, err := open(got, vni, true, l.key, server)
		if err != nil {
			fail("%s: challenge: %v", l.name, err)
		}
		ch, isChallenge := m.(*disco.BindUDPRelayEndpointChallenge)
		if !isChallenge {
			fail("%s: got %s, want BindUDPRelayEndpointChallenge", l.name, disco.MessageSummary(m))
		}
		if ch.VNI != vni || ch.Generation != gen || ch.RemoteKey != remote {
			fail("%s: challenge VNI %d gen %d remote %v, want %d %d %v", l.name, ch.VNI, ch.Generation, ch.RemoteKey, vni, gen, remote)
		}
		if from != relay {
			fail("%s: challenge came from %v, want %v", l.name, from, relay)
		}
		answer := disco.BindUDPRelayEndpointAnswer{BindUDPRelayEndpointCommon: ch.BindUDPRelayEndpointCommon}
		l.send(seal(vni, true, l.key, server, &answer, 0), from)
		ok("%s bound (generation %d): Bind -> Challenge (%d bytes) -> Answer", l.name, gen, len(got))
		return
	}
	fail("%s: no BindUDPRelayEndpointChallenge from %v in 5 tries", l.name, relay)
}

// deliver sends from one leg through the relay and returns what the other receives (udp.Deliver).
func deliver(from, to *leg, sent []byte, relay netip.AddrPort) []byte {
	got, err := udp.Deliver(from.conn, to.conn, sent, relay)
	if err != nil {
		fail("%s->%s: %v", from.name, to.name, err)
	}
	return got
}

// forwardedPackets sums tailscaled_peer_relay_forwarded_packets_total over its labels.
func forwardedPackets(url string) (int64, error) {
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		return 0, fmt.Errorf("metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("metrics: %s answered %s", url, resp.Status)
	}
	var sum int64
	found := false
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "tailscaled_peer_relay_forwarded_packets_total") {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err != nil {
			return 0, fmt.Errorf("metrics: bad line %q", line)
		}
		sum += int64(v)
		found = true
	}
	if !found {
		return 0, fmt.Errorf("metrics: %s has no tailscaled_peer_relay_forwarded_packets_total", url)
	}
	return sum, nil
}

func server(args []string) {
	fs := flag.NewFlagSet("server", flag.ExitOnError)
	port := fs.Int("port", 0, "UDP port (fixed: the server has no accessor for an ephemeral one)")
	httpAddr := fs.String("http", "127.0.0.1:0", "address of the local API")
	fs.Parse(args)
	if *port <= 0 || *port > 65535 {
		fail("--port must be 1-65535")
	}
	reg := new(usermetric.Registry)
	srv, err := udprelay.NewServer(log.Printf, uint16(*port), true, reg, nil)
	if err != nil {
		fail("udprelay.NewServer: %v", err)
	}
	defer srv.Close()
	srv.SetStaticAddrPorts(views.SliceOf([]netip.AddrPort{netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(*port))}))

	mux := http.NewServeMux()
	mux.HandleFunc("POST /allocate", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ A, B string }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		ka, errA := parsePublic(req.A)
		kb, errB := parsePublic(req.B)
		if errA != nil || errB != nil {
			http.Error(w, fmt.Sprintf("a: %v, b: %v", errA, errB), 400)
			return
		}
		ep, err := srv.AllocateEndpoint(ka, kb)
		if err != nil {
			http.Error(w, err.Error(), 503)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(ep)
	})
	mux.HandleFunc("GET /sessions", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(srv.GetSessions())
	})
	mux.HandleFunc("GET /metrics", reg.Handler)
	ln, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		fail("listen %s: %v", *httpAddr, err)
	}
	hs := &http.Server{Handler: mux}
	go hs.Serve(ln)
	fmt.Printf("serving Tailscale udprelay.Server on UDP port %d, API http://%s\n", *port, ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	<-ctx.Done()
	hs.Close()
}

// allocate asks the server mode's API for a session and prints "VNI SERVERKEY".
func allocate(args []string) {
	fs := flag.NewFlagSet("allocate", flag.ExitOnError)
	api := fs.String("api", "", "server mode API base URL")
	a := fs.String("a", "", "client disco key")
	b := fs.String("b", "", "client disco key")
	fs.Parse(args)
	body, _ := json.Marshal(map[string]string{"a": *a, "b": *b})
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Post(*api+"/allocate", "application/json", bytes.NewReader(body))
	if err != nil {
		fail("allocate: %v", err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		fail("allocate: %s: %s", resp.Status, text)
	}
	var ep struct {
		ServerDisco key.DiscoPublic
		VNI         uint32
	}
	if err := json.Unmarshal(text, &ep); err != nil {
		fail("allocate: %v in %s", err, text)
	}
	fmt.Fprintf(os.Stderr, "%s", text)
	fmt.Printf("%d %v\n", ep.VNI, ep.ServerDisco)
}

// freeport finds a port free for UDP on both wildcard families (the Go server binds both) and
// for TCP on loopback, so one number serves either use.
func freeport() {
	for try := 0; try < 50; try++ {
		c4, err := net.ListenUDP("udp4", &net.UDPAddr{})
		if err != nil {
			fail("listen: %v", err)
		}
		port := c4.LocalAddr().(*net.UDPAddr).Port
		c6, err6 := net.ListenUDP("udp6", &net.UDPAddr{Port: port})
		if err6 != nil {
			// A host without IPv6 at all: the Go server then runs IPv4 only, as does our relay.
			if any6, err := net.ListenUDP("udp6", &net.UDPAddr{}); err != nil {
				err6 = nil
			} else {
				any6.Close()
			}
		}
		t, errT := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		c4.Close()
		if c6 != nil {
			c6.Close()
		}
		if t != nil {
			t.Close()
		}
		if err6 == nil && errT == nil {
			fmt.Println(port)
			return
		}
	}
	fail("no free port found")
}
