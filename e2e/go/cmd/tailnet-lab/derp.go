package main

// The DERP map that points tailscaled at the lab's DERP server and STUN responder (both from
// internal/tsservers, on the servers' address).

import "tailscale.com/tailcfg"

// derpMap is one region with one node: the lab's server. InsecureForTests lets tailscaled accept
// the self-signed certificate; IPv6 "none" keeps it from trying one.
func derpMap(ip string, derpPort, stunPort int) *tailcfg.DERPMap {
	return &tailcfg.DERPMap{Regions: map[int]*tailcfg.DERPRegion{
		1: {RegionID: 1, RegionCode: "lab", RegionName: "PeerRelay tailnet lab", Nodes: []*tailcfg.DERPNode{{
			Name:             "1a",
			RegionID:         1,
			HostName:         ip,
			CertName:         ip,
			IPv4:             ip,
			IPv6:             "none",
			DERPPort:         derpPort,
			STUNPort:         stunPort,
			InsecureForTests: true,
		}}},
	}}
}
