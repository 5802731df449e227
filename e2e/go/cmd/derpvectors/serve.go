package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"time"

	"peerrelay.io/e2e/go/internal/tsservers"
	"tailscale.com/derp"
	"tailscale.com/derp/derphttp"
	"tailscale.com/net/netmon"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

// serve runs Tailscale's DERP server on 127.0.0.1 behind TLS (a self-signed certificate for
// derp.test and 127.0.0.1, written as PEM to --cert-out so a client can trust it) and a Go DERP
// client that echoes every packet back to its sender as "echo:" + packet. It prints
// "listening PORT SERVERKEY" and "echo NODEKEY", then serves until standard input closes.
func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	certOut := fs.String("cert-out", "", "write the server certificate (PEM) here")
	port := fs.Int("port", 0, "TLS port on 127.0.0.1 (0: any free port)")
	fs.Parse(args)
	log.SetOutput(os.Stderr)
	cert, pemBytes, err := tsservers.SelfSignedCert("127.0.0.1", "derp.test")
	if err != nil {
		fail("certificate: %v", err)
	}
	if *certOut != "" {
		if err := os.WriteFile(*certOut, pemBytes, 0o600); err != nil {
			fail("--cert-out: %v", err)
		}
	}
	s, addr, err := tsservers.DERP(net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)), cert, log.Printf)
	if err != nil {
		fail("%v", err)
	}
	bound := addr.Port
	fmt.Printf("listening %d %v\n", bound, s.PublicKey())
	echo := regionClient(key.NewNode(), bound)
	if err := echo.Connect(context.Background()); err != nil {
		fail("echo peer connect: %v", err)
	}
	fmt.Printf("echo %v\n", echo.SelfPublicKey())
	go echoLoop(echo)
	bufio.NewReader(os.Stdin).ReadString('\n') // until the test closes our stdin
}

func echoLoop(c *derphttp.Client) {
	for {
		m, err := c.Recv()
		if err != nil {
			log.Printf("echo recv: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if p, isPacket := m.(derp.ReceivedPacket); isPacket {
			fmt.Printf("ok echo got %d bytes from %v\n", len(p.Data), p.Source)
			if err := c.Send(p.Source, append([]byte("echo:"), p.Data...)); err != nil {
				log.Printf("echo send: %v", err)
			}
		}
	}
}

// regionClient is a DERP client as magicsock makes one: a region of one node from the DERP map.
func regionClient(k key.NodePrivate, port int) *derphttp.Client {
	region := &tailcfg.DERPRegion{RegionID: 900, RegionCode: "test", Nodes: []*tailcfg.DERPNode{{
		Name: "900a", RegionID: 900, HostName: "derp.test", IPv4: "127.0.0.1", IPv6: "none",
		DERPPort: port, InsecureForTests: true,
	}}}
	c := derphttp.NewRegionClient(k, func(string, ...any) {}, netmon.NewStatic(), func() *tailcfg.DERPRegion { return region })
	c.SetCanAckPings(true)
	return c
}
