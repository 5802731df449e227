package main

import (
	"fmt"
	"sort"
	"strings"
)

type aggregate struct {
	sent, fwd, lo, hi, loss, cpu float64
	sys                          float64 // of cpu: kernel (stime) microseconds per packet
	share                        float64 // relay CPU seconds per second of the window
	relayDrops, genDrops         int64
	loads                        []string
}

func aggregateRuns(runs []runResult) aggregate {
	var a aggregate
	var sent, recv uint64
	var secs float64
	var cpu, sys int64
	for i, r := range runs {
		sent += r.sent
		recv += r.recv
		secs += r.seconds
		cpu += r.cpuUs
		sys += r.sysUs
		a.relayDrops += r.relayDrops
		a.genDrops += r.genDrops
		a.loads = append(a.loads, r.load)
		f := float64(r.recv) / r.seconds
		if i == 0 || f < a.lo {
			a.lo = f
		}
		a.hi = max(a.hi, f)
	}
	if secs > 0 {
		a.sent, a.fwd = float64(sent)/secs, float64(recv)/secs
	}
	a.loss, a.cpu, a.sys = lossPct(sent, recv), usPerPkt(cpu, recv), usPerPkt(sys, recv)
	if secs > 0 {
		a.share = float64(cpu) / 1e6 / secs
	}
	return a
}

func ratio(a, b float64) string {
	if a == 0 || b == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", a/b)
}

func firstOfKind(ts []*target, kind string) string {
	for _, t := range ts {
		if t.kind == kind {
			return t.name
		}
	}
	return ""
}

func printTables(res *results, cfg runConfig) {
	ts, c := firstOfKind(res.targets, "tailscale"), firstOfKind(res.targets, "cfwd")
	fmt.Printf("Rates: %d interleaved round(s) of %.1f s per case and path (after %.1f s warm-up); figures are totals over the rounds, min-max is per round.\n\n",
		cfg.rounds, cfg.seconds.Seconds(), cfg.warm.Seconds())
	fmt.Println("Of it kernel: the part of the relay's CPU us/pkt spent in the kernel (stime: its socket reads and writes); the rest is the relay's own code (utime).")
	fmt.Println("Relay CPU share: CPU seconds the relay used per second of the window (1.00 = its whole core). pkt/s per relay CPU s = 1e6 / (CPU us per packet):")
	fmt.Println("what the relay would carry with a core to itself at that cost. Drops: datagrams the kernel dropped at the relay's socket / the generator's sockets (full receive queue).")
	fmt.Println()
	fmt.Println("| load/payload/sessions | path | sent pkt/s | forwarded pkt/s | min-max | loss | relay CPU us/pkt | of it kernel | relay CPU share | pkt/s per relay CPU s | fwd vs Tailscale | fwd vs C | CPU vs Tailscale | CPU vs C | drops relay/gen | load avg per round |")
	fmt.Println("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
	for _, lc := range res.cases {
		aggs := map[string]aggregate{}
		for _, t := range res.targets {
			aggs[t.name] = aggregateRuns(res.runs[lc.String()+"|"+t.name])
		}
		for _, t := range res.targets {
			a := aggs[t.name]
			cpu, cpuTs, cpuC := fmt.Sprintf("%.2f", a.cpu), ratio(a.cpu, aggs[ts].cpu), ratio(a.cpu, aggs[c].cpu)
			kernel := fmt.Sprintf("%.2f", a.sys)
			share, perCPU := fmt.Sprintf("%.2f", a.share), ""
			if a.cpu > 0 {
				perCPU = fmt.Sprintf("%.0f", 1e6/a.cpu)
			}
			if t.kind == "direct" {
				cpu, kernel, cpuTs, cpuC, share = "(generator ceiling)", "", "", "", ""
			}
			fmt.Printf("| %s | %s | %.0f | %.0f | %.0f-%.0f | %.2f%% | %s | %s | %s | %s | %s | %s | %s | %s | %d/%d | %s |\n",
				lc, t.name, a.sent, a.fwd, a.lo, a.hi, a.loss, cpu, kernel, share, perCPU, ratio(a.fwd, aggs[ts].fwd), ratio(a.fwd, aggs[c].fwd),
				cpuTs, cpuC, a.relayDrops, a.genDrops, strings.Join(a.loads, " "))
		}
	}
	fmt.Printf("\nRound trip of a 64-byte datagram A->relay->B->relay->A (the relay twice), %d rounds per path and round, busy-polling receivers:\n\n", cfg.latRounds)
	fmt.Println("| path | rounds | lost | p50 us | p99 us | added p50 us | added p99 us |")
	fmt.Println("|---|--:|--:|--:|--:|--:|--:|")
	base := res.lat["direct"]
	for _, t := range res.targets {
		l := res.lat[t.name]
		sort.Float64s(l)
		added50, added99 := "", ""
		if t.kind != "direct" {
			added50 = fmt.Sprintf("%.1f", percentile(l, 0.5)-percentile(base, 0.5))
			added99 = fmt.Sprintf("%.1f", percentile(l, 0.99)-percentile(base, 0.99))
		}
		fmt.Printf("| %s | %d | %d | %.1f | %.1f | %s | %s |\n", t.name, len(l), res.latLost[t.name],
			percentile(l, 0.5), percentile(l, 0.99), added50, added99)
	}
	fmt.Println("\nStart and memory (RSS from /proc/PID/status; idle: 1 s after the first forwarded packet, one session; under load: the largest VmRSS at the end of a measured run):")
	fmt.Println()
	fmt.Println("| relay | start to first forwarded packet ms | RSS idle MiB | RSS under load MiB | VmHWM MiB | threads |")
	fmt.Println("|---|--:|--:|--:|--:|--:|")
	for _, t := range res.targets {
		if t.kind == "direct" {
			continue
		}
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %.1f | %d |\n", t.name, t.startMs, float64(t.rssIdleKB)/1024,
			float64(t.rssLoadKB)/1024, float64(statusKB(t.pid, "VmHWM"))/1024, statusKB(t.pid, "Threads"))
	}
	fmt.Println("| ours, native binary | not measured: the native build needs Mandrel/GraalVM, not installed on this machine | | | | |")
}
