// Command coredns is CoreDNS (the version kubeadm v1.34 deploys, constants.CoreDNSVersion) with
// only the plugins kubeadm's Corefile uses, plus log: the kind node image holds it without a
// registry. Upstream's main links every plugin, cloud SDKs (Azure, Google, AWS) and tracing
// included, which made it the slowest Go build of a fresh machine.
package main

import (
	"github.com/coredns/coredns/coremain"

	// The plugins of kubeadm's Corefile (cmd/kubeadm/app/phases/addons/dns/manifests.go in
	// k8s.io/kubernetes): errors, health, ready, kubernetes, prometheus (package metrics),
	// forward, cache, loop, reload, loadbalance; log for debugging a cluster.
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func main() { coremain.Run() }
