//go:build tools

// Package tools pins the kind command (v0.30.0, the release for Kubernetes 1.34) that
// e2e/tools/build.sh kind builds; e2e/kind/ also reads its node-image base files from this module.
package tools

import _ "sigs.k8s.io/kind"
