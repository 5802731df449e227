package main

// The lab's control plane: Tailscale's own test control server (tstest/integration/testcontrol)
// for registration, auth keys, ts2021 and node state, with the map stream taken over through its
// AltMapStream hook so that every node gets a packet filter rendered from a small peer-relay
// policy instead of testcontrol's one wildcard filter.
//
// Why the hook: testcontrol's PeerRelayGrants flag grants tailscale.com/cap/relay and
// tailscale.com/cap/relay-target from every node to every node, and its filter is rebuilt on every
// map response (ModifyFirstMapResponse touches only the first one of a stream, AddRawMapResponse
// switches a node's automatic map responses off for good), so one node without the grant cannot
// be expressed otherwise. The hook keeps everything else testcontrol does (register, auth key,
// MapResponse with peers, addresses, DERP map) and only re-does the stream loop.

import (
	"context"
	"net/netip"
	"slices"
	"sync"
	"time"

	"tailscale.com/tailcfg"
	"tailscale.com/tstest/integration/testcontrol"
	"tailscale.com/types/key"
	"tailscale.com/util/mak"
)

// relayPolicy names nodes by the hostname they register with.
type relayPolicy struct {
	relays     []string // nodes that serve peer relay: get cap/relay from granted clients
	granted    []string // clients granted the relays: may allocate, see the relays as targets
	targetOnly []string // clients that see the relays as targets (so they ask) without the grant
}

// grantRules renders the policy for one node, the way a control server renders a grant
// {src: granted, dst: relays, app: {tailscale.com/cap/relay: []}}: the relay's filter says which
// sources may allocate on it (cap/relay), each granted client's filter says which peers it may use
// as relays (cap/relay-target). A target-only client gets the second rule but the relay never
// gets the first one for it: it asks and the relay must refuse.
func (p relayPolicy) grantRules(self *tailcfg.Node, all []*tailcfg.Node) []tailcfg.FilterRule {
	var relayIPs, grantedIPs []string
	for _, n := range all {
		name := hostname(n)
		for _, a := range n.Addresses {
			switch {
			case slices.Contains(p.relays, name):
				relayIPs = append(relayIPs, a.Addr().String())
			case slices.Contains(p.granted, name):
				grantedIPs = append(grantedIPs, a.Addr().String())
			}
		}
	}
	var rules []tailcfg.FilterRule
	name := hostname(self)
	if slices.Contains(p.relays, name) && len(grantedIPs) > 0 {
		rules = append(rules, capRule(grantedIPs, self.Addresses, tailcfg.PeerCapabilityRelay))
	}
	if (slices.Contains(p.granted, name) || slices.Contains(p.targetOnly, name)) && len(relayIPs) > 0 {
		rules = append(rules, capRule(relayIPs, self.Addresses, tailcfg.PeerCapabilityRelayTarget))
	}
	return rules
}

func capRule(srcs []string, dsts []netip.Prefix, c tailcfg.PeerCapability) tailcfg.FilterRule {
	return tailcfg.FilterRule{
		SrcIPs:   srcs,
		CapGrant: []tailcfg.CapGrant{{Dsts: slices.Clone(dsts), Caps: []tailcfg.PeerCapability{c}}},
	}
}

func hostname(n *tailcfg.Node) string {
	if !n.Hostinfo.Valid() {
		return ""
	}
	return n.Hostinfo.Hostname()
}

// mapStreams is the AltMapStream implementation: node updates, change fan-out, keep-alives.
type mapStreams struct {
	tc        *testcontrol.Server
	policy    relayPolicy
	logf      func(format string, args ...any)
	keepAlive time.Duration

	mu      sync.Mutex
	changed chan struct{}             // closed and replaced on every node change
	streams map[key.NodePublic]uint64 // newest stream per node; older ones end
	nextID  uint64
}

func newMapStreams(tc *testcontrol.Server, p relayPolicy, logf func(string, ...any)) *mapStreams {
	return &mapStreams{tc: tc, policy: p, logf: logf, keepAlive: 30 * time.Second,
		changed: make(chan struct{}), streams: map[key.NodePublic]uint64{}}
}

// serve handles one map request: it records what the node reports, then (streaming) sends a full
// map whenever any node changes, or (non-streaming) one map and returns.
func (m *mapStreams) serve(ctx context.Context, w testcontrol.MapStreamWriter, req *tailcfg.MapRequest) {
	if !m.update(req) {
		return
	}
	streaming := req.Stream && !req.ReadOnly
	var id uint64
	if streaming {
		id = m.register(req.NodeKey)
	}
	for {
		wake := m.wakeChan()
		res, err := m.tc.MapResponse(req)
		if err != nil || res == nil {
			return
		}
		m.decorate(res)
		if err := w.SendMapMessage(res); err != nil || !streaming {
			return
		}
		if !m.waitChange(ctx, w, wake, req.NodeKey, id) {
			return
		}
	}
}

// waitChange blocks until some node changed (true) or the stream is over (false), sending
// keep-alives meanwhile.
func (m *mapStreams) waitChange(ctx context.Context, w testcontrol.MapStreamWriter, wake <-chan struct{}, k key.NodePublic, id uint64) bool {
	t := time.NewTicker(m.keepAlive)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return false
		case <-wake:
			return m.current(k, id)
		case <-t.C:
			if !m.current(k, id) || w.SendMapMessage(&tailcfg.MapResponse{KeepAlive: true}) != nil {
				return false
			}
		}
	}
}

// decorate adds the policy's grant rules and turns captive-portal detection off (it would probe
// Tailscale's public hosts; the lab must not leave the machine).
func (m *mapStreams) decorate(res *tailcfg.MapResponse) {
	res.PacketFilter = append(res.PacketFilter, m.policy.grantRules(res.Node, m.tc.AllNodes())...)
	mak.Set(&res.Node.CapMap, tailcfg.NodeAttrDisableCaptivePortalDetection, nil)
}

// update stores what a node reports in a non-streaming map request (endpoints, disco key,
// capability version, host info, home DERP), as testcontrol's own stream loop does, and wakes
// every stream. A streaming request of a modern client carries none of that (tailcfg.MapRequest's
// Stream docs). It reports whether the node is known.
func (m *mapStreams) update(req *tailcfg.MapRequest) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.tc.Node(req.NodeKey)
	if n == nil {
		return false
	}
	if req.ReadOnly || (req.Stream && req.Version >= 68) {
		return true
	}
	n.Endpoints = slices.DeleteFunc(slices.Clone(req.Endpoints), func(ep netip.AddrPort) bool {
		return ep.Addr().Zone() != "" || (ep.Addr().Is6() && ep.Addr().IsLinkLocalUnicast())
	})
	n.DiscoKey = req.DiscoKey
	n.Cap = req.Version
	if req.Hostinfo != nil {
		n.Hostinfo = req.Hostinfo.View()
		if ni := req.Hostinfo.NetInfo; ni != nil && ni.PreferredDERP != 0 {
			n.HomeDERP = ni.PreferredDERP
		}
	}
	m.tc.UpdateNode(n)
	close(m.changed)
	m.changed = make(chan struct{})
	m.logf("node %s (%s) cap %d endpoints %v derp %d", hostname(n), n.Addresses[0].Addr(), n.Cap, n.Endpoints, n.HomeDERP)
	return true
}

func (m *mapStreams) register(k key.NodePublic) uint64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	m.streams[k] = m.nextID
	close(m.changed) // the older stream of this node, if any, sees it is no longer current
	m.changed = make(chan struct{})
	return m.nextID
}

func (m *mapStreams) current(k key.NodePublic, id uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.streams[k] == id
}

func (m *mapStreams) wakeChan() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.changed
}
