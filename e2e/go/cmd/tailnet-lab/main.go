// Command tailnet-lab is the servers side of the tailnet lab (e2e/tailnet/run.sh), built on
// Tailscale's own code: a control server (tstest/integration/testcontrol) with a peer-relay grant
// policy, a DERP server over TLS, STUN, and the netcheck 204 URL, all on one address; plus the
// small tools the lab runs inside its namespaces.
//
//	tailnet-lab serve --listen IP [flags]   control + DERP + STUN; writes --info when ready
//	tailnet-lab sink --listen 127.0.0.1:P   framed-transfer receiver
//	tailnet-lab send --socks5 A --to IP:P   framed-transfer sender, prints the rate
//	tailnet-lab peer --ip IP                reads `tailscale status --json`, prints the peer's path
//	tailnet-lab metric NAME [LABEL=VALUE]   reads Prometheus text, prints the sum of NAME's series
package main

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"strings"

	"peerrelay.io/e2e/go/internal/tsservers"
	"tailscale.com/tstest/integration/testcontrol"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tailnet-lab serve|sink|send|peer|metric [flags] (see main.go)")
		os.Exit(2)
	}
	cmds := map[string]func([]string) error{
		"serve": runServe, "sink": runSink, "send": runSend, "peer": runPeer, "metric": runMetric,
	}
	f, ok := cmds[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "tailnet-lab: unknown command %q (serve, sink, send, peer, metric)\n", os.Args[1])
		os.Exit(2)
	}
	if err := f(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "tailnet-lab:", err)
		os.Exit(1)
	}
}

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1", "IPv4 address every server listens on (must be local)")
	controlPort := fs.Int("control-port", 8080, "control server HTTP port (ts2021 over http://, and /generate_204)")
	derpPort := fs.Int("derp-port", 8443, "DERP server TLS port")
	stunPort := fs.Int("stun-port", 3478, "STUN UDP port")
	info := fs.String("info", "", "file to write the lab's addresses to (shell variables) once everything listens")
	authKeyFile := fs.String("authkey-file", "", "file to write the auth key nodes must register with")
	relays := fs.String("relays", "relay", "comma-separated hostnames of the peer-relay nodes")
	granted := fs.String("granted", "a,b", "comma-separated hostnames granted tailscale.com/cap/relay on the relays")
	targetOnly := fs.String("target-only", "", "comma-separated hostnames that see the relays as targets without the grant")
	verbose := fs.Bool("v", false, "log every node update")
	_ = fs.Parse(args)

	if ip := net.ParseIP(*listen); ip == nil || ip.To4() == nil {
		return fmt.Errorf("--listen %q: want an IPv4 address", *listen)
	}
	if err := checkLocal(*listen); err != nil {
		return err
	}
	authKey := "tskey-lab-" + randHex(16)
	logf := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds).Printf
	quiet := tsservers.Quiet
	nodeLog := quiet
	if *verbose {
		nodeLog = logf
	}

	cert, _, err := tsservers.SelfSignedCert(*listen)
	if err != nil {
		return err
	}
	if _, _, err := tsservers.DERP(net.JoinHostPort(*listen, strconv.Itoa(*derpPort)), cert, quiet); err != nil {
		return err
	}
	if err := tsservers.STUN(*listen, *stunPort, logf); err != nil {
		return err
	}
	base := "http://" + net.JoinHostPort(*listen, strconv.Itoa(*controlPort))
	tc := tsservers.Control(base, authKey, derpMap(*listen, *derpPort, *stunPort), quiet)
	pol := relayPolicy{relays: split(*relays), granted: split(*granted), targetOnly: split(*targetOnly)}
	tc.AltMapStream = newMapStreams(tc, pol, nodeLog).serve
	ln, err := net.Listen("tcp", net.JoinHostPort(*listen, strconv.Itoa(*controlPort)))
	if err != nil {
		return fmt.Errorf("control listen: %w", err)
	}
	tsservers.ServeControl(ln, tc, logf)

	if err := writeInfo(*info, *authKeyFile, authKey, base, *listen, *derpPort, *stunPort, tc); err != nil {
		return err
	}
	logf("control %s (auth key required), DERP https://%s:%d (self-signed, InsecureForTests), STUN %s:%d, netcheck %s/generate_204; policy relays=%v granted=%v target-only=%v",
		base, *listen, *derpPort, *listen, *stunPort, base, pol.relays, pol.granted, pol.targetOnly)
	select {}
}

func writeInfo(info, authKeyFile, authKey, base, ip string, derpPort, stunPort int, tc *testcontrol.Server) error {
	if authKeyFile != "" {
		if err := os.WriteFile(authKeyFile, []byte(authKey+"\n"), 0o600); err != nil {
			return err
		}
	}
	dm, err := json.Marshal(tc.DERPMap)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("CONTROL_URL=%s\nNETCHECK_204_URL=%s/generate_204\nDERP_ADDR=%s:%d\nSTUN_ADDR=%s:%d\nAUTHKEY_FILE=%s\nDERP_MAP='%s'\n",
		base, base, ip, derpPort, ip, stunPort, authKeyFile, dm)
	if info == "" {
		fmt.Print(text)
		return nil
	}
	tmp := info + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, info)
}

// checkLocal refuses an address that no interface of this network namespace holds: the lab
// sends nothing anywhere else.
func checkLocal(ip string) error {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.String() == ip {
			return nil
		}
	}
	return fmt.Errorf("--listen %s: no interface here has that address (ip -4 addr shows this namespace's); the lab only uses addresses of interfaces it made", ip)
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
