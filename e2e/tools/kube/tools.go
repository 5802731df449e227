//go:build tools

// Package tools pins the Kubernetes control-plane commands that e2e/tools/build.sh builds.
package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
)
