//go:build tools

// Package tools pins MetalLB (its controller and speaker commands), the LoadBalancer
// implementation e2e/kind/metallb.sh builds and installs in the kind cluster; its manifests
// (CRDs, RBAC) come from this module's config/ folder.
package tools

import (
	_ "go.universe.tf/metallb/controller"
	_ "go.universe.tf/metallb/speaker"
)
