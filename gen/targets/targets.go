// Package targets lists portspec's output targets. It is the one place that
// knows them all (adding a target touches this file and nothing else); the
// targets themselves never import each other.
package targets

import (
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/gen/report"
)

// All returns every target, in the order they run and their warnings are
// printed: the Go package, Cilium, Kubernetes, Ansible, nftables, the
// reports for people, and last the drift test.
func All() []config.Target {
	return []config.Target{
		{Gen: golang.New()},
		{Gen: cilium.New()},
		{Gen: kubernetes.New()},
		{Gen: ansible.New()},
		{Gen: nftables.New()},
		{Gen: report.New()},
		// The drift test is a _test.go file of the generated Go package: it
		// is written into the Go target's folder wherever that is, unless
		// targets.drifttest.dir says otherwise.
		{Gen: drifttest.New(), DirOf: golang.Name},
	}
}
