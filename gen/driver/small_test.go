package driver

import (
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestSmall: a document is small up to 5,000 rules and port ranges
// together, however they are spread (one cell of many ports counts each).
func TestSmall(t *testing.T) {
	doc := func(rules, ports int) *spec.Document {
		g := spec.Group{ID: "NodesToNodes"}
		for range rules {
			r := spec.Rule{Protocol: spec.TCP}
			for p := range ports {
				r.Ports = append(r.Ports, spec.PortRange{First: uint16(p + 1), Last: uint16(p + 1)})
			}
			g.Rules = append(g.Rules, r)
		}
		return &spec.Document{Groups: []spec.Group{g}}
	}
	for _, tc := range []struct {
		rules, ports int
		small        bool
	}{
		{0, 0, true},
		{2500, 1, true},  // 5,000
		{2501, 1, false}, // 5,002
		{5000, 0, true},  // ICMP rules
		{1, 4999, true},
		{1, 5000, false}, // one cell of 5,000 ports
	} {
		if got := Small(doc(tc.rules, tc.ports)); got != tc.small {
			t.Errorf("%d rules of %d ports: Small = %v, want %v", tc.rules, tc.ports, got, tc.small)
		}
	}
}
