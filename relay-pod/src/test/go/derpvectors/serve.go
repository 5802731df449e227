package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"tailscale.com/derp"
	"tailscale.com/derp/derphttp"
	"tailscale.com/derp/derpserver"
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
	cert, pemBytes := selfSigned()
	if *certOut != "" {
		if err := os.WriteFile(*certOut, pemBytes, 0o600); err != nil {
			fail("--cert-out: %v", err)
		}
	}
	s := derpserver.New(key.NewNode(), log.Printf)
	ln, err := tls.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)), &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		fail("listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/derp", derpserver.Handler(s))
	go http.Serve(ln, mux)
	bound := ln.Addr().(*net.TCPAddr).Port
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

func selfSigned() (tls.Certificate, []byte) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fail("key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "derp.test"},
		DNSNames:     []string{"derp.test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		fail("cert: %v", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}, pemBytes
}
