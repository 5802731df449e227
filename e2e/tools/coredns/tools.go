//go:build tools

// Package tools pins CoreDNS at the version kubeadm v1.34 deploys (constants.CoreDNSVersion), so
// the kind node image can hold it without a registry.
package tools

import _ "github.com/coredns/coredns"
