package main

// One measured run: paced or maximum load through one target, and latency rounds.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// burst is how many datagrams one sendmmsg sends from one leg: small, so that with many sessions
// a relay's read batch holds datagrams of several sessions, as real traffic would.
const burst = 8

type loadCase struct {
	rate     int // packets/s; 0 is as fast as the generator goes
	payload  int // WireGuard bytes per datagram (the relay sees 8 more: the Geneve header)
	sessions int
	gso      bool // each burst leaves as one UDP GSO send (UDP_SEGMENT), as tailscaled sends bulk
}

func (c loadCase) String() string {
	r := "max"
	if c.rate > 0 {
		r = fmt.Sprintf("%dk", c.rate/1000)
	}
	g := ""
	if c.gso {
		g = "/gso"
	}
	return fmt.Sprintf("%s/%dB/%d%s", r, c.payload, c.sessions, g)
}

// parseCases reads "RATE/PAYLOAD/SESSIONS[/gso],..." with RATE a number or max.
func parseCases(text string) ([]loadCase, error) {
	var out []loadCase
	for _, item := range strings.Split(text, ",") {
		f := strings.Split(strings.TrimSpace(item), "/")
		var c loadCase
		if len(f) == 4 && f[3] == "gso" {
			c.gso, f = true, f[:3]
		}
		if len(f) != 3 {
			return nil, fmt.Errorf("--cases: %q is not RATE/PAYLOAD/SESSIONS[/gso] (e.g. max/512/100, max/1280/1/gso)", item)
		}
		var err error
		if f[0] != "max" {
			if c.rate, err = strconv.Atoi(f[0]); err != nil || c.rate <= 0 {
				return nil, fmt.Errorf("--cases: %q: rate must be max or packets/s", item)
			}
		}
		if c.payload, err = strconv.Atoi(f[1]); err != nil || c.payload < 1 || c.payload > 1400 {
			return nil, fmt.Errorf("--cases: %q: payload must be 1-1400 bytes", item)
		}
		if c.sessions, err = strconv.Atoi(f[2]); err != nil || c.sessions < 1 {
			return nil, fmt.Errorf("--cases: %q: sessions must be at least 1", item)
		}
		out = append(out, c)
	}
	return out, nil
}

type runResult struct {
	sent, recv           uint64
	cpuUs, sysUs         int64
	relayDrops, genDrops int64
	seconds              float64
	load                 string
}

// runCase drives c through t for d after a warm-up; every figure covers the same window.
func runCase(t *target, c loadCase, d, warm time.Duration) (runResult, error) {
	if c.sessions >= len(t.sessions) {
		return runResult{}, fmt.Errorf("%s: %d sessions set up, case wants %d", t.name, len(t.sessions)-1, c.sessions)
	}
	var legs []*leg
	genPorts := map[uint16]bool{}
	for _, s := range t.sessions[1 : 1+c.sessions] {
		dg := wireGuardDatagram(s.vni, c.payload)
		for _, l := range []*leg{s.a.leg, s.b.leg} {
			l.prepare(dg, c.gso)
			legs = append(legs, l)
			genPorts[l.addr.Port()] = true
		}
	}
	rx, err := newReceiver(legs)
	if err != nil {
		return runResult{}, err
	}
	defer func() {
		t.totalRx += rx.pkts
		rx.close()
	}()
	// One datagram per leg of every session of t first, not only the case's: refreshes their
	// lifetimes on the relay (Tailscale's server expires a session idle for 5 minutes, and a long
	// run reaches the 1000-session cases later than that). Legs outside the case keep these in
	// their queues; quiet() below drains them before anything is counted.
	for _, s := range t.sessions {
		dg := wireGuardDatagram(s.vni, 64)
		s.a.sendTo(dg, s.a.dst)
		s.b.sendTo(dg, s.b.dst)
	}
	relayPorts := map[uint16]bool{t.relay.Port(): true}
	quiet(rx, relayPorts)
	b := burst
	if c.gso {
		// A GSO sender fills its super-datagrams (wireguard-go batches up to 64 KiB): 32 segments,
		// fewer where 32 would pass the 64 KiB UDP limit.
		b = min(32, 65000/len(legs[0].buf))
	}
	drive(legs, rx, c.rate, warm, b)
	quiet(rx, relayPorts)
	res := runResult{load: loadAvg()}
	cpu0, sys0 := cpuMicros(t.pid)
	rd0, gd0, rx0 := udpDrops(relayPorts), udpDrops(genPorts), rx.pkts
	start := time.Now()
	res.sent = drive(legs, rx, c.rate, d, b)
	res.seconds = time.Since(start).Seconds()
	if rss := statusKB(t.pid, "VmRSS"); rss > t.rssLoadKB {
		t.rssLoadKB = rss
	}
	quiet(rx, relayPorts)
	res.recv = rx.pkts - rx0
	cpu1, sys1 := cpuMicros(t.pid)
	res.cpuUs, res.sysUs = cpu1-cpu0, sys1-sys0
	res.relayDrops = udpDrops(relayPorts) - rd0
	res.genDrops = udpDrops(genPorts) - gd0
	return res, nil
}

// drive sends from legs round-robin for d, at rate packets/s (0: as fast as possible), draining
// the receive side between bursts of up to b datagrams per leg; returns the datagrams sent.
func drive(legs []*leg, rx *receiver, rate int, d time.Duration, b int) uint64 {
	var sent uint64
	start := time.Now()
	for li := 0; ; {
		el := time.Since(start)
		if el >= d {
			return sent
		}
		k := b
		if rate > 0 {
			due := int64(float64(rate)*el.Seconds()) - int64(sent)
			if due <= 0 {
				rx.poll(0)
				continue
			}
			k = int(min(due, int64(b)))
		}
		sent += uint64(legs[li].sendBurst(k))
		li++
		if li == len(legs) {
			li = 0
		}
		rx.poll(0)
	}
}

// quiet drains until the relay's receive queue is empty and nothing arrived for 150 ms, at most
// 5 s: a slow relay still forwards a backlog after the generator stops, and that backlog belongs
// to the run that sent it, not to the next one.
func quiet(rx *receiver, relayPorts map[uint16]bool) {
	end := time.Now().Add(5 * time.Second)
	last, lastChange := rx.pkts, time.Now()
	for time.Now().Before(end) {
		rx.poll(10)
		if rx.pkts != last {
			last, lastChange = rx.pkts, time.Now()
			continue
		}
		if time.Since(lastChange) > 150*time.Millisecond && udpQueued(relayPorts) == 0 {
			return
		}
	}
}

// latency runs n ping-pong rounds of a 64-byte datagram A->B->A on t's session 0 (through the
// relay twice) with busy-polling receivers; returns the round trips in microseconds, sorted.
func latency(t *target, n, warm int) ([]float64, int) {
	s := t.sessions[0]
	dg := wireGuardDatagram(s.vni, 64)
	buf := make([]byte, 2048)
	var rtts []float64
	lost := 0
	s.a.drainQueue(buf)
	s.b.drainQueue(buf)
	for i := 0; i < warm+n; i++ {
		if lost >= 20 && len(rtts) == 0 && i == lost {
			return nil, lost // the session is gone: do not wait 200 ms for each of n rounds
		}
		t0 := time.Now()
		s.a.sendTo(dg, s.a.dst)
		if _, ok := s.b.spinRecv(buf, 200*time.Millisecond); !ok {
			lost++
			continue
		}
		s.b.sendTo(dg, s.b.dst)
		if _, ok := s.a.spinRecv(buf, 200*time.Millisecond); !ok {
			lost++
			continue
		}
		if i >= warm {
			rtts = append(rtts, float64(time.Since(t0).Nanoseconds())/1000)
		}
	}
	sort.Float64s(rtts)
	return rtts, lost
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}
