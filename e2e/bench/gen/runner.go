package main

// The run: start every relay (timing start to first forwarded packet), set up the same sessions
// on each, then run every case on every target in interleaved rounds (A,B,C,direct,A,B,C,...),
// then latency rounds, then print one table.

import (
	"flag"
	"fmt"
	"os"
	"time"
)

type runConfig struct {
	targets   string
	logDir    string
	base      int
	cases     []loadCase
	rounds    int
	seconds   time.Duration
	warm      time.Duration
	latRounds int
}

type results struct {
	cases   []loadCase
	targets []*target
	runs    map[string][]runResult // key: case|target
	lat     map[string][]float64
	latLost map[string]int
	rounds  []string // load average per round, in order
}

func stage(name string, start time.Time) {
	fmt.Fprintf(os.Stderr, "[bench] stage %-28s %6.1f s (load average %s)\n", name, time.Since(start).Seconds(), loadAvg())
}

func runMain(args []string) {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	var cfg runConfig
	var cases, keys string
	fs.StringVar(&keys, "keys", "", "client keys (bench keygen output) granted on our relay")
	fs.StringVar(&cfg.targets, "targets", "", "file of name|kind|port|extra|command lines")
	fs.StringVar(&cfg.logDir, "logs", os.TempDir(), "folder for the relays' logs")
	fs.IntVar(&cfg.base, "base", 0, "first of the consecutive ports the C forwarder's static sessions use")
	fs.StringVar(&cases, "cases", "max/512/1", "RATE/PAYLOAD/SESSIONS,...")
	fs.IntVar(&cfg.rounds, "rounds", 2, "interleaved rounds per case")
	fs.DurationVar(&cfg.seconds, "seconds", 3*time.Second, "measured time per run")
	fs.DurationVar(&cfg.warm, "warmup", 500*time.Millisecond, "unmeasured load before each run")
	fs.IntVar(&cfg.latRounds, "latency-rounds", 5000, "ping-pong rounds per target and round")
	fs.Parse(args)
	var err error
	if keys != "" {
		if err := loadKeys(keys); err != nil {
			fail("--keys: %v", err)
		}
	}
	if cfg.cases, err = parseCases(cases); err != nil {
		fail("%v", err)
	}
	targets, err := parseTargets(cfg.targets)
	if err != nil {
		fail("--targets: %v", err)
	}
	maxSessions := 0
	for _, c := range cfg.cases {
		maxSessions = max(maxSessions, c.sessions)
	}
	res := &results{cases: cfg.cases, runs: map[string][]runResult{}, lat: map[string][]float64{}, latLost: map[string]int{}}
	onExit(func() {
		for _, t := range res.targets {
			t.stop()
		}
	})
	defer runAtExit()
	startAll(res, targets, cfg)
	res.targets = append(res.targets, &target{name: "direct", kind: "direct"})
	t0 := time.Now()
	for _, t := range res.targets {
		if err := setupSessions(t, cfg, maxSessions); err != nil {
			fail("%s: %v", t.name, err)
		}
	}
	stage(fmt.Sprintf("set up %d sessions each", maxSessions), t0)
	warmUp(res, maxSessions)
	runCases(res, cfg)
	runLatency(res, cfg)
	printTables(res, cfg)
}

func startAndProbe(t *target, cfg runConfig) error {
	start := time.Now()
	if err := t.start(cfg.logDir); err != nil {
		return err
	}
	s, err := t.newSession(0, cfg.base)
	if err != nil {
		return err
	}
	t.sessions = append(t.sessions, s)
	// 10 ms between tries for 120 s: the JVM's start-up is the long pole.
	if err := t.establish(s, 0, 12000, 10*time.Millisecond); err != nil {
		return fmt.Errorf("probe session: %v", err)
	}
	if !firstForward(s, 30*time.Second) {
		return fmt.Errorf("no datagram forwarded on the probe session within 30 s of binding")
	}
	t.startMs = float64(time.Since(start).Microseconds()) / 1000
	time.Sleep(time.Second)
	t.rssIdleKB = statusKB(t.pid, "VmRSS")
	return nil
}

func setupSessions(t *target, cfg runConfig, n int) error {
	if len(t.sessions) == 0 { // the direct path has no probe session yet
		s, err := t.newSession(0, 0)
		if err != nil {
			return err
		}
		t.establish(s, 0, 1, 0)
		t.sessions = append(t.sessions, s)
	}
	for i := len(t.sessions); i <= n; i++ {
		s, err := t.newSession(i, cfg.base)
		if err != nil {
			return err
		}
		t.sessions = append(t.sessions, s)
		if err := t.establish(s, i, 5, time.Second); err != nil {
			return fmt.Errorf("session %d: %v", i, err)
		}
	}
	return nil
}

func lossPct(sent, recv uint64) float64 {
	if sent == 0 {
		return 0
	}
	return 100 * (1 - float64(recv)/float64(sent))
}

func usPerPkt(cpuUs int64, pkts uint64) float64 {
	if pkts == 0 {
		return 0
	}
	return float64(cpuUs) / float64(pkts)
}

// warmUp gives every target the same unmeasured load before the cases.
func warmUp(res *results, maxSessions int) {
	// A JIT compiler needs traffic before it compiles the forwarding path: every target gets the
	// same unmeasured 3 s (1.5 s of 64-byte and 1.5 s of 1280-byte datagrams) before the cases.
	t0 := time.Now()
	for _, t := range res.targets {
		for _, c := range []loadCase{{payload: 64, sessions: 1}, {payload: 1280, sessions: min(maxSessions, 100)}} {
			if _, err := runCase(t, c, 1500*time.Millisecond, 0); err != nil {
				fail("%s: warm-up: %v", t.name, err)
			}
		}
	}
	stage("warm-up (unmeasured)", t0)
}

// runCases runs every case on every target, round by round (A,B,C,direct,A,B,C,direct,...).
func runCases(res *results, cfg runConfig) {
	for _, c := range cfg.cases {
		t0 := time.Now()
		for round := 0; round < cfg.rounds; round++ {
			res.rounds = append(res.rounds, loadAvg())
			for _, t := range res.targets {
				r, err := runCase(t, c, cfg.seconds, cfg.warm)
				if err != nil {
					fail("%s %v: %v", t.name, c, err)
				}
				key := c.String() + "|" + t.name
				res.runs[key] = append(res.runs[key], r)
				fmt.Fprintf(os.Stderr, "[bench]   %-14s round %d %-14s sent %8.0f/s fwd %8.0f/s loss %5.1f%% cpu %6.2f us/pkt drops relay %d gen %d, load %s\n",
					c, round+1, t.name, float64(r.sent)/r.seconds, float64(r.recv)/r.seconds, lossPct(r.sent, r.recv),
					usPerPkt(r.cpuUs, r.recv), r.relayDrops, r.genDrops, r.load)
			}
		}
		stage("case "+c.String(), t0)
	}
}

// runLatency runs the ping-pong rounds, interleaved over the targets as the cases are.
func runLatency(res *results, cfg runConfig) {
	t0 := time.Now()
	for round := 0; round < cfg.rounds; round++ {
		for _, t := range res.targets {
			rtts, lost := latency(t, cfg.latRounds, cfg.latRounds/5)
			res.lat[t.name] = append(res.lat[t.name], rtts...)
			res.latLost[t.name] += lost
		}
	}
	stage("latency", t0)
	for _, t := range res.targets {
		fmt.Fprintf(os.Stderr, "[bench] total %s forwarded %d\n", t.name, t.totalRx)
	}
}

// startAll starts the relays one at a time, each timed from its start to its first forwarded
// packet before the next starts.
func startAll(res *results, targets []*target, cfg runConfig) {
	t0 := time.Now()
	for _, t := range targets {
		res.targets = append(res.targets, t)
		if err := startAndProbe(t, cfg); err != nil {
			fail("%s: %v (log: %s/%s.log)", t.name, err, cfg.logDir, t.name)
		}
		fmt.Fprintf(os.Stderr, "[bench] %s: start to first forwarded packet %.0f ms, RSS idle %d MiB\n", t.name, t.startMs, t.rssIdleKB/1024)
	}
	stage("start relays", t0)
}
