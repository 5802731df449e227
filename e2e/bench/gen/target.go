package main

// A target is one path under test: a relay process (ours, Tailscale's, the C forwarder) or the
// direct socket-to-socket path (no process: the generator's own ceiling).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"tailscale.com/types/key"
)

type session struct {
	a, b *clientLeg
	vni  uint32
}

type target struct {
	name, kind string // kind: ours, tailscale, cfwd, direct
	relay      netip.AddrPort
	extra      string // ours: the relay's discokey; tailscale: its allocation API URL
	cmd        string
	proc       *exec.Cmd
	pid        int
	server     key.DiscoPublic
	sessions   []*session // [0] is the probe and latency session, [1:] carry load
	startMs    float64    // process start to first forwarded packet
	rssIdleKB  int64
	rssLoadKB  int64
	totalRx    uint64 // every datagram the generator received through it, warm-ups included
}

// parseTargets reads "name|kind|port|extra|command" lines (run.sh writes them).
func parseTargets(path string) ([]*target, error) {
	text, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []*target
	for i, line := range strings.Split(string(text), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.SplitN(line, "|", 5)
		if len(f) != 5 {
			return nil, fmt.Errorf("%s line %d: want name|kind|port|extra|command", path, i+1)
		}
		t := &target{name: f[0], kind: f[1], extra: f[3], cmd: f[4]}
		if t.kind != "ours" && t.kind != "tailscale" && t.kind != "cfwd" {
			return nil, fmt.Errorf("%s line %d: kind %q is not ours, tailscale or cfwd", path, i+1, t.kind)
		}
		if t.relay, err = netip.ParseAddrPort("127.0.0.1:" + f[2]); err != nil {
			return nil, fmt.Errorf("%s line %d: port: %v", path, i+1, err)
		}
		if t.kind == "ours" {
			if err := t.server.UnmarshalText([]byte(t.extra)); err != nil {
				return nil, fmt.Errorf("%s line %d: server key: %v", path, i+1, err)
			}
		}
		out = append(out, t)
	}
	return out, nil
}

// start launches the relay process; the caller probes it right after.
func (t *target) start(logDir string) error {
	logf, err := os.Create(fmt.Sprintf("%s/%s.log", logDir, t.name))
	if err != nil {
		return err
	}
	t.proc = exec.Command("sh", "-c", "exec "+t.cmd)
	t.proc.Stdout, t.proc.Stderr = logf, logf
	// Its own process group: stop() signals the group, so a wrapper (strace) and the relay under
	// it both get the signal.
	t.proc.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := t.proc.Start(); err != nil {
		return fmt.Errorf("%s: %v", t.name, err)
	}
	t.pid = t.proc.Process.Pid
	return nil
}

func (t *target) stop() {
	if t.proc != nil {
		syscall.Kill(-t.pid, syscall.SIGINT)
		done := make(chan struct{})
		go func() { t.proc.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			syscall.Kill(-t.pid, syscall.SIGKILL)
		}
	}
	for _, s := range t.sessions {
		s.a.close()
		s.b.close()
	}
}

// newSession opens the two legs of session i; the C forwarder's static table fixes their ports.
func (t *target) newSession(i, base int) (*session, error) {
	pa, pb := 0, 0
	if t.kind == "cfwd" {
		pa, pb = base+2*i, base+2*i+1
	}
	la, err := openLeg(pa)
	if err != nil {
		return nil, err
	}
	lb, err := openLeg(pb)
	if err != nil {
		la.close()
		return nil, err
	}
	s := &session{a: &clientLeg{la, clientKey(2 * i)}, b: &clientLeg{lb, clientKey(2*i + 1)}}
	if t.kind == "direct" {
		la.dst, lb.dst = lb.addr, la.addr
	} else {
		la.dst, lb.dst = t.relay, t.relay
	}
	return s, nil
}

// establish allocates and binds s on the relay; tries x every bounds each step.
func (t *target) establish(s *session, i int, tries int, every time.Duration) error {
	switch t.kind {
	case "direct", "cfwd":
		s.vni = uint32(i + 1)
		return nil
	case "ours":
		vni, err := allocateOurs(s.a, s.b.key.Public(), t.relay, t.server, tries, every)
		if err != nil {
			return err
		}
		if _, err := allocateOurs(s.b, s.a.key.Public(), t.relay, t.server, tries, every); err != nil {
			return err
		}
		s.vni = vni
	case "tailscale":
		if err := t.allocateTailscale(s, tries, every); err != nil {
			return err
		}
	}
	if err := bindLeg(s.a, s.b.key.Public(), s.vni, t.relay, t.server, tries, every); err != nil {
		return err
	}
	return bindLeg(s.b, s.a.key.Public(), s.vni, t.relay, t.server, tries, every)
}

// allocateTailscale calls udprelay.Server.AllocateEndpoint through the tsrelay process's API, the
// call tailscaled makes when a peer asks it over DERP.
func (t *target) allocateTailscale(s *session, tries int, every time.Duration) error {
	body, _ := json.Marshal(map[string]string{"a": s.a.key.Public().String(), "b": s.b.key.Public().String()})
	client := &http.Client{Timeout: 5 * time.Second}
	var last error
	for try := 0; try < tries; try++ {
		resp, err := client.Post(t.extra+"/allocate", "application/json", bytes.NewReader(body))
		if err != nil {
			last = err
			time.Sleep(every)
			continue
		}
		var ep struct {
			ServerDisco key.DiscoPublic
			VNI         uint32
		}
		err = json.NewDecoder(resp.Body).Decode(&ep)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil {
			last = fmt.Errorf("%s (%v)", resp.Status, err)
			time.Sleep(every)
			continue
		}
		t.server, s.vni = ep.ServerDisco, ep.VNI
		return nil
	}
	return fmt.Errorf("POST %s/allocate: %v", t.extra, last)
}

// firstForward sends data A->B on s until B receives it; returns false after d.
func firstForward(s *session, d time.Duration) bool {
	dg := wireGuardDatagram(s.vni, 64)
	buf := make([]byte, 2048)
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		s.a.sendTo(dg, s.a.dst)
		if _, _, ok := s.b.recv(buf, 10*time.Millisecond); ok {
			return true
		}
	}
	return false
}
