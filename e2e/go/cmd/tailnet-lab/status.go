package main

// Readers for what Tailscale's CLI prints, so run.sh needs no jq: `tailscale status --json`
// (ipnstate.Status) and Prometheus text (`tailscale metrics print`, `tailscale debug metrics`,
// our relay's /metrics).

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"tailscale.com/ipn/ipnstate"
)

// runPeer prints how the node whose status is on stdin reaches the peer with Tailscale IP --ip:
// "peer=NAME ip=IP peer_relay=IP:PORT:vni:N cur_addr=IP:PORT derp=CODE online=BOOL" (a field is
// empty when there is none).
func runPeer(args []string) error {
	fs := flag.NewFlagSet("peer", flag.ExitOnError)
	ip := fs.String("ip", "", "the peer's Tailscale IPv4")
	host := fs.String("host", "", "or the peer's hostname")
	_ = fs.Parse(args)
	var st ipnstate.Status
	if err := json.NewDecoder(os.Stdin).Decode(&st); err != nil {
		return fmt.Errorf("peer: stdin is not `tailscale status --json`: %w", err)
	}
	for _, p := range st.Peer {
		for _, a := range p.TailscaleIPs {
			if (a.String() == *ip || (*host != "" && p.HostName == *host)) && a.Is4() {
				fmt.Printf("peer=%s ip=%s peer_relay=%s cur_addr=%s derp=%s online=%v\n",
					p.HostName, a, p.PeerRelay, p.CurAddr, p.Relay, p.Online)
				return nil
			}
		}
	}
	return fmt.Errorf("peer: no peer with Tailscale IP %q or hostname %q in the status (is it registered?)", *ip, *host)
}

// runMetric prints the sum of all series of metric NAME on stdin (Prometheus text), keeping only
// series whose labels include every LABEL=VALUE given. A metric that is absent sums to 0.
func runMetric(args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("metric: usage: metric NAME [LABEL=VALUE...] < prometheus-text")
	}
	name, want := args[0], args[1:]
	var sum float64
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		series, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		metric, labels, _ := strings.Cut(series, "{")
		if metric != name || !hasLabels(labels, want) {
			continue
		}
		v, err := strconv.ParseFloat(strings.Fields(value)[0], 64)
		if err != nil {
			return fmt.Errorf("metric: %q: %w", line, err)
		}
		sum += v
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if sum == math.Trunc(sum) && math.Abs(sum) < 1<<53 {
		fmt.Println(int64(sum))
	} else {
		fmt.Println(sum)
	}
	return nil
}

func hasLabels(labels string, want []string) bool {
	labels = strings.TrimSuffix(labels, "}")
	for _, w := range want {
		k, v, _ := strings.Cut(w, "=")
		if !strings.Contains(","+labels+",", ","+k+`="`+v+`",`) {
			return false
		}
	}
	return true
}
