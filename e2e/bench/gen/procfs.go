package main

// Figures read from /proc: a process's CPU time (utime+stime of the whole thread group), its
// resident memory, the load average, and UDP receive-queue drops per local port.

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

const clockTicksPerSecond = 100 // USER_HZ on Linux

// cpuMicros is utime+stime of every thread of pid (the /proc/PID/stat totals cover the whole
// thread group, dead threads included), in microseconds, and the stime part of it: the time spent
// in the kernel on the process's behalf (its syscalls: socket reads and writes).
func cpuMicros(pid int) (total, sys int64) {
	if pid == 0 {
		return 0, 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	// After the command: state is field 3 of stat, so utime (14) and stime (15) are f[11], f[12].
	u, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return (u + st) * 1_000_000 / clockTicksPerSecond, st * 1_000_000 / clockTicksPerSecond
}

// statusKB reads a "Name:   123 kB" line of /proc/PID/status (VmRSS, VmHWM).
func statusKB(pid int, name string) int64 {
	if pid == 0 {
		return 0
	}
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	return 0
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Fields(string(b))[0]
}

// udpDrops sums the drops column of /proc/net/udp over sockets whose local port is in ports.
func udpDrops(ports map[uint16]bool) int64 { return udpColumn(ports, 12) }

// udpQueued sums the bytes waiting in the receive queues of those sockets.
func udpQueued(ports map[uint16]bool) int64 { return udpColumn(ports, 4) }

func udpColumn(ports map[uint16]bool, column int) int64 {
	f, err := os.Open("/proc/net/udp")
	if err != nil {
		return 0
	}
	defer f.Close()
	var sum int64
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 13 {
			continue
		}
		local := fields[1]
		p, err := strconv.ParseUint(local[strings.IndexByte(local, ':')+1:], 16, 16)
		if err != nil || !ports[uint16(p)] {
			continue
		}
		v := fields[column]
		if column == 4 { // tx_queue:rx_queue, hex
			d, _ := strconv.ParseInt(v[strings.IndexByte(v, ':')+1:], 16, 64)
			sum += d
			continue
		}
		d, _ := strconv.ParseInt(v, 10, 64)
		sum += d
	}
	return sum
}
