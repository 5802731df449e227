// Command testcontrol runs Tailscale's own test control server
// (tailscale.com/tstest/integration/testcontrol) on 127.0.0.1 for the relay's tailnet ITs
// (relay-pod/src/test/java/io/peerrelay/relay/tailnet/TailnetNodeIT.java, through GoTool).
//
// It prints "URL http://127.0.0.1:<port>" once listening, then reads commands, one a line, from
// stdin and answers each with one line:
//
//	addpeer      adds a relay-capable peer node and pushes the change to streaming clients
//	expire       marks every node key expired
//	unexpire     clears that again
//	map <nodekey> prints "MAP " and the MapResponse control would send that node, as JSON
//	quit         exits
//
// The control server exits when stdin closes, so a killed test leaves nothing behind.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"peerrelay.io/e2e/go/internal/tsservers"
	"tailscale.com/tailcfg"
	"tailscale.com/tstest/integration/testcontrol"
	"tailscale.com/types/key"
)

func main() {
	authKey := flag.String("authkey", "", "auth key every registration must carry")
	flag.Parse()
	log.SetOutput(os.Stderr)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	s := tsservers.Control(base, *authKey, derpMap(), log.Printf)
	s.PeerRelayGrants = true
	s.MagicDNSDomain = "tail-test.ts.net"
	// UpdateNode needs the node table, which only AddFakeNode or a registration creates; the
	// fake node is also a peer without name or home DERP, as sparse as control may send one.
	s.AddFakeNode()
	tsservers.ServeControl(ln, s, log.Printf)
	fmt.Println("URL " + base)

	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		cmd := strings.TrimSpace(in.Text())
		if k, ok := strings.CutPrefix(cmd, "map "); ok {
			fmt.Println(dumpMap(s, k))
			continue
		}
		switch cmd {
		case "addpeer":
			n := peer()
			s.UpdateNode(n)
			disco, _ := n.DiscoKey.MarshalText()
			fmt.Printf("PEER %s %s %s\n", n.Key.String(), disco, n.Addresses[0].Addr())
		case "expire":
			s.SetExpireAllNodes(true)
			fmt.Println("OK")
		case "unexpire":
			s.SetExpireAllNodes(false)
			fmt.Println("OK")
		case "quit":
			return
		default:
			fmt.Println("ERR unknown command " + cmd)
		}
	}
}

func dumpMap(s *testcontrol.Server, nodeKey string) string {
	var nk key.NodePublic
	if err := nk.UnmarshalText([]byte(nodeKey)); err != nil {
		return "ERR " + err.Error()
	}
	res, err := s.MapResponse(&tailcfg.MapRequest{NodeKey: nk, Version: 121, Stream: true})
	if err != nil || res == nil {
		return fmt.Sprintf("ERR no map response: %v", err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		return "ERR " + err.Error()
	}
	return "MAP " + string(b)
}

// derpMap has a STUN-only region 1 and a DERP region 2 on loopback, so a client that picks "the
// lowest region with a non-STUN-only node" must pick 2.
func derpMap() *tailcfg.DERPMap {
	return &tailcfg.DERPMap{
		Regions: map[int]*tailcfg.DERPRegion{
			1: {RegionID: 1, RegionCode: "stun", RegionName: "STUN only", Nodes: []*tailcfg.DERPNode{
				{Name: "1a", RegionID: 1, HostName: "127.0.0.1", IPv4: "127.0.0.1", STUNPort: 3478, STUNOnly: true},
			}},
			2: {RegionID: 2, RegionCode: "lo", RegionName: "Loopback", Nodes: []*tailcfg.DERPNode{
				{Name: "2a", RegionID: 2, HostName: "derp.test", IPv4: "127.0.0.1", IPv6: "none",
					DERPPort: 3340, STUNPort: -1, InsecureForTests: true, CertName: "derp.test"},
			}},
		},
	}
}

// peer is a node as testcontrol's AddFakeNode makes one, plus what a relay-capable client reports.
func peer() *tailcfg.Node {
	nk := key.NewNode().Public()
	r := nk.Raw32()
	var suffix [2]byte
	rand.Read(suffix[:])
	id := int64(binary.LittleEndian.Uint64(r[:]) & 0x7fffffffffff)
	addr := netip.PrefixFrom(netip.AddrFrom4([4]byte{100, 64, suffix[0], suffix[1] | 1}), 32)
	online := true
	now := time.Now()
	return &tailcfg.Node{
		ID:                tailcfg.NodeID(id),
		StableID:          tailcfg.StableNodeID(fmt.Sprintf("TESTCTRL%08x", id)),
		Name:              fmt.Sprintf("peer-%x.tail-test.ts.net.", suffix),
		User:              tailcfg.UserID(id),
		Machine:           key.NewMachine().Public(),
		Key:               nk,
		MachineAuthorized: true,
		DiscoKey:          key.NewDisco().Public(),
		Addresses:         []netip.Prefix{addr},
		AllowedIPs:        []netip.Prefix{addr},
		HomeDERP:          2,
		Cap:               tailcfg.CurrentCapabilityVersion,
		Online:            &online,
		LastSeen:          &now,
	}
}
