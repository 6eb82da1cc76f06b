// Package targets lists portspec's output targets. It is the one place that
// knows them all; the targets themselves never import each other.
package targets

import (
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/gen/nftables"
)

// All returns every target in the order they are generated.
func All() []gen.Generator {
	return []gen.Generator{
		// Each target adds itself here: golang.New(), drifttest.New(),
		// cilium.New(), kubernetes.New(), ansible.New(), nftables.New().
		golang.New(),
		cilium.New(),
		kubernetes.New(),
		ansible.New(),
		nftables.New(),
		drifttest.New(),
	}
}
