//go:build tools

// Package tools pins the node-side Kubernetes commands that the kind node image needs
// (e2e/tools/build.sh kind). A module of its own, so that adding them does not change the
// control-plane module's go.sum, which keys the cached kube-apiserver build.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-proxy"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
