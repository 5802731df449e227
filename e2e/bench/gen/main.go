// Command bench is the generator and orchestrator of the side-by-side relay benchmark
// (e2e/bench/run.sh), built on Tailscale's own packages (tailscale.com, pinned in go.mod):
//
//	bench run --targets FILE --keys FILE --cases ... [--rounds 2 --seconds 3s]
//	                                    starts the relays in FILE, sets up sessions, runs the
//	                                    cases interleaved, prints the table (markdown) on stdout
//	bench tsrelay --port P --api 127.0.0.1:H
//	                                    Tailscale's udprelay.Server, sessions allocated with its
//	                                    AllocateEndpoint (POST /allocate), as tailscaled does
//	bench keygen N                      N client key pairs, "discoprivkey:... discokey:..." lines
//	bench freeport                      a UDP port free on 127.0.0.1 and 0.0.0.0 (TCP too)
//	bench freerange N                   the first of N consecutive UDP ports free on 127.0.0.1
//
// Loopback only: every socket it opens is bound to 127.0.0.1, every datagram goes to 127.0.0.1.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"go4.org/mem"
	"tailscale.com/net/udprelay"
	"tailscale.com/types/key"
	"tailscale.com/types/views"
	"tailscale.com/util/usermetric"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: bench run|tsrelay|keygen|freeport|freerange [flags]")
	}
	switch os.Args[1] {
	case "run":
		runMain(os.Args[2:])
	case "tsrelay":
		tsrelay(os.Args[2:])
	case "keygen":
		n, err := strconv.Atoi(arg(2))
		if err != nil || n < 1 {
			fail("keygen N: N must be a number of key pairs")
		}
		for i := 0; i < n; i++ {
			text, k := newPrivate()
			fmt.Printf("%s %v\n", text, k.Public())
		}
	case "freeport":
		fmt.Println(freeRange(1, 40000, 60000))
	case "freerange":
		n, err := strconv.Atoi(arg(2))
		if err != nil || n < 1 || n > 20000 {
			fail("freerange N: N must be 1-20000")
		}
		fmt.Println(freeRange(n, 20000, 32000))
	default:
		fail("unknown mode %q", os.Args[1])
	}
}

func arg(i int) string {
	if len(os.Args) > i {
		return os.Args[i]
	}
	return ""
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[bench] FAIL "+format+"\n", args...)
	runAtExit()
	os.Exit(1)
}

var (
	atExitMu sync.Mutex
	atExit   []func()
)

// onExit registers f to run on failure or a signal too: the relays this program started must
// not outlive it.
func onExit(f func()) {
	atExitMu.Lock()
	defer atExitMu.Unlock()
	if atExit == nil {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
		go func() {
			<-ch
			runAtExit()
			os.Exit(130)
		}()
	}
	atExit = append(atExit, f)
}

func runAtExit() {
	atExitMu.Lock()
	fs := atExit
	atExit = nil
	atExitMu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

var clientKeys []key.DiscoPrivate

// clientKey is the i-th key of --keys (granted on our relay), or a fresh one.
func clientKey(i int) key.DiscoPrivate {
	if i < len(clientKeys) {
		return clientKeys[i]
	}
	return key.NewDisco()
}

// newPrivate makes a clamped X25519 private key, with its text in PeerRelay's form.
func newPrivate() (string, key.DiscoPrivate) {
	var raw [32]byte
	rand.Read(raw[:])
	raw[0] &= 248
	raw[31] = (raw[31] & 127) | 64
	return "discoprivkey:" + hex.EncodeToString(raw[:]), key.DiscoPrivateFromRaw32(mem.B(raw[:]))
}

// loadKeys reads the private keys of a `bench keygen` file.
func loadKeys(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		h, ok := strings.CutPrefix(strings.Fields(sc.Text())[0], "discoprivkey:")
		raw, err := hex.DecodeString(h)
		if !ok || err != nil || len(raw) != 32 {
			return fmt.Errorf("%s: line %d is not a discoprivkey", path, len(clientKeys)+1)
		}
		clientKeys = append(clientKeys, key.DiscoPrivateFromRaw32(mem.B(raw)))
	}
	return sc.Err()
}

// freeRange finds n consecutive ports free for UDP on 127.0.0.1 and 0.0.0.0 and TCP on
// 127.0.0.1, in [lo, hi). Racy by nature; the caller fails clearly if a bind later fails.
func freeRange(n, lo, hi int) int {
	seed := make([]byte, 2)
	rand.Read(seed)
	for try := 0; try < 200; try++ {
		base := lo + (int(seed[0])<<8|int(seed[1])+try*997)%(hi-lo-n)
		good := true
		for p := base; p < base+n && good; p++ {
			u, err := net.ListenUDP("udp4", &net.UDPAddr{Port: p})
			if err != nil {
				good = false
				break
			}
			u.Close()
			if n == 1 {
				t, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(p))
				if err != nil {
					good = false
					break
				}
				t.Close()
			}
		}
		if good {
			return base
		}
	}
	fail("no %d free consecutive ports in %d-%d", n, lo, hi)
	return 0
}

// tsrelay serves Tailscale's udprelay.Server and a loopback API to allocate on it.
func tsrelay(args []string) {
	fs := flag.NewFlagSet("tsrelay", flag.ExitOnError)
	port := fs.Int("port", 0, "UDP port")
	api := fs.String("api", "127.0.0.1:0", "address of the allocation API (loopback)")
	fs.Parse(args)
	apiAddr, err := netip.ParseAddrPort(*api)
	if err != nil || !apiAddr.Addr().IsLoopback() {
		fail("--api %q: want a loopback ip:port", *api)
	}
	srv, err := udprelay.NewServer(log.Printf, uint16(*port), true, new(usermetric.Registry), nil)
	if err != nil {
		fail("udprelay.NewServer: %v", err)
	}
	defer srv.Close()
	srv.SetStaticAddrPorts(views.SliceOf([]netip.AddrPort{netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(*port))}))
	mux := http.NewServeMux()
	mux.HandleFunc("POST /allocate", func(w http.ResponseWriter, r *http.Request) {
		var req struct{ A, B key.DiscoPublic }
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		ep, err := srv.AllocateEndpoint(req.A, req.B)
		if err != nil {
			http.Error(w, err.Error(), 503)
			return
		}
		json.NewEncoder(w).Encode(ep)
	})
	ln, err := net.Listen("tcp", *api)
	if err != nil {
		fail("listen %s: %v", *api, err)
	}
	go (&http.Server{Handler: mux}).Serve(ln)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM, os.Interrupt)
	<-ch
}
