// Command derpvectors checks PeerRelay's DERP client and its allocations over DERP against
// Tailscale's own code (tailscale.com, pinned in go.mod):
//
//	derpvectors vectors        prints the byte vectors in tailnet-vectors/derp.txt
//	derpvectors serve          runs Tailscale's derpserver on 127.0.0.1 behind TLS and an echo peer
//	derpvectors peer ...       a tailnet peer as magicsock is: pings and allocates over DERP, then
//	                           binds and sends data through the relay's UDP port
//
// serve and peer print one "ok ..." line per check and "FAIL ..." (exit 1) on the first failure.
package main

import (
	"fmt"
	"net/netip"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: derpvectors vectors|serve|peer ...")
	}
	switch os.Args[1] {
	case "vectors":
		vectors()
	case "serve":
		serve(os.Args[2:])
	case "peer":
		peer(os.Args[2:])
	default:
		fail("unknown command %q (want vectors, serve or peer)", os.Args[1])
	}
}

func fail(format string, args ...any) {
	fmt.Printf("FAIL "+format+"\n", args...)
	os.Exit(1)
}

func ok(format string, args ...any) {
	fmt.Printf("ok "+format+"\n", args...)
}

// loopbackOnly refuses any address that is not loopback: these tools never send elsewhere.
func loopbackOnly(what string, ap netip.AddrPort) {
	if !ap.Addr().IsLoopback() {
		fail("%s %v is not a loopback address; this tool only talks to loopback", what, ap)
	}
}
