// Package tsservers starts the Tailscale servers the test programs need, from Tailscale's own code:
// the test control server (tstest/integration/testcontrol), the DERP server (derp/derpserver) over
// TLS with a throw-away certificate, and a STUN responder (net/stun). The relay's ITs
// (cmd/testcontrol, cmd/derpvectors) run them on loopback, the tailnet lab (cmd/tailnet-lab) on an
// address of its servers' network namespace.
package tsservers

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"time"

	"tailscale.com/derp/derpserver"
	"tailscale.com/net/stun"
	"tailscale.com/tailcfg"
	"tailscale.com/tstest/integration/testcontrol"
	"tailscale.com/types/key"
)

// Quiet is a log function that drops everything.
func Quiet(string, ...any) {}

// Control is Tailscale's test control server with what every test program here wants: every node
// online, its URLs built on base (the address it will listen on), registration only with authKey
// (none when empty), and the given DERP map.
func Control(base, authKey string, derpMap *tailcfg.DERPMap, logf func(string, ...any)) *testcontrol.Server {
	return &testcontrol.Server{
		Logf:            logf,
		DERPMap:         derpMap,
		RequireAuthKey:  authKey,
		AllOnline:       true,
		ExplicitBaseURL: base,
	}
}

// ServeControl serves tc on ln in the background; errors of the HTTP server go to logf.
func ServeControl(ln net.Listener, tc *testcontrol.Server, logf func(string, ...any)) {
	srv := &http.Server{Handler: tc, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(logWriter(Quiet), "", 0)}
	go func() { logf("control server stopped: %v", srv.Serve(ln)) }()
}

// DERP starts Tailscale's DERP server over TLS on addr ("ip:port"; port 0 picks a free one) with
// cert. HTTP/2 is off: DERP is an HTTP/1.1 upgrade. It returns the server and the bound address.
func DERP(addr string, cert tls.Certificate, logf func(string, ...any)) (*derpserver.Server, *net.TCPAddr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("DERP listen on %s: %w", addr, err)
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
	return d, ln.Addr().(*net.TCPAddr), nil
}

// SelfSignedCert makes a throw-away ECDSA certificate, valid for a day, for ip and the DNS names
// (the first name, or else ip, is its common name). It returns the certificate and its PEM, which
// a client that cannot skip verification can trust.
func SelfSignedCert(ip string, dnsNames ...string) (tls.Certificate, []byte, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cn := ip
	if len(dnsNames) > 0 {
		cn = dnsNames[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: cn},
		DNSNames:              dnsNames,
		IPAddresses:           []net.IP{net.ParseIP(ip)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true, // its own root, so that a PEM trust store can hold it
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}, pemBytes, nil
}

// STUN answers STUN binding requests on ip:port with the sender's address, which is what netcheck
// needs to learn a node's public (post-NAT) address. Anything else gets no answer.
func STUN(ip string, port int, logf func(string, ...any)) error {
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
				continue
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
