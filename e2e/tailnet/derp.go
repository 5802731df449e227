package main

// The lab's DERP server (Tailscale's derp/derpserver over TLS with a self-signed certificate) and
// a STUN responder (Tailscale's net/stun codec) on the same address, and the DERP map that points
// tailscaled at them.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"tailscale.com/derp/derpserver"
	"tailscale.com/net/stun"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

// derpMap is one region with one node: the lab's server. InsecureForTests lets tailscaled accept
// the self-signed certificate; IPv6 "none" keeps it from trying one.
func derpMap(ip string, derpPort, stunPort int) *tailcfg.DERPMap {
	return &tailcfg.DERPMap{Regions: map[int]*tailcfg.DERPRegion{
		1: {RegionID: 1, RegionCode: "lab", RegionName: "PeerRelay tailnet lab", Nodes: []*tailcfg.DERPNode{{
			Name:             "1a",
			RegionID:         1,
			HostName:         ip,
			CertName:         ip,
			IPv4:             ip,
			IPv6:             "none",
			DERPPort:         derpPort,
			STUNPort:         stunPort,
			InsecureForTests: true,
		}}},
	}}
}

// serveDERP starts Tailscale's DERP server over TLS on ip:port. HTTP/2 is off: DERP is an
// HTTP/1.1 upgrade.
func serveDERP(ip string, port int, logf func(string, ...any)) (*derpserver.Server, error) {
	cert, err := selfSignedCert(ip)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("DERP listen on %s:%d: %w", ip, port, err)
	}
	d := derpserver.New(key.NewNode(), logf)
	srv := &http.Server{
		Handler:      derpserver.Handler(d),
		TLSConfig:    &tls.Config{Certificates: []tls.Certificate{cert}},
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:     log.New(logWriter(logf), "derp-http: ", 0),
	}
	go func() {
		if err := srv.ServeTLS(ln, "", ""); err != nil && err != http.ErrServerClosed {
			logf("DERP server stopped: %v", err)
		}
	}()
	return d, nil
}

// selfSignedCert makes a throw-away ECDSA certificate for ip, valid for a day.
func selfSignedCert(ip string) (tls.Certificate, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: ip},
		IPAddresses:  []net.IP{net.ParseIP(ip)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}, nil
}

// serveSTUN answers STUN binding requests on ip:port with the sender's address, which is what
// netcheck needs to learn a node's public (post-NAT) address.
func serveSTUN(ip string, port int, logf func(string, ...any)) error {
	pc, err := net.ListenUDP("udp4", net.UDPAddrFromAddrPort(netip.AddrPortFrom(netip.MustParseAddr(ip), uint16(port))))
	if err != nil {
		return fmt.Errorf("STUN listen on %s:%d: %w", ip, port, err)
	}
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFromUDPAddrPort(buf)
			if err != nil {
				logf("STUN server stopped: %v", err)
				return
			}
			txid, err := stun.ParseBindingRequest(buf[:n])
			if err != nil {
				continue // not a binding request: nothing is answered
			}
			from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
			if _, err := pc.WriteToUDPAddrPort(stun.Response(txid, from), from); err != nil {
				logf("STUN reply to %v: %v", from, err)
			}
		}
	}()
	return nil
}

type logWriter func(string, ...any)

func (f logWriter) Write(p []byte) (int, error) {
	f("%s", p)
	return len(p), nil
}
