package compare_test

import (
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzCompare: for any two documents the parser accepts, Documents does not
// panic, a document compares equal to itself, and the ports its changes
// open and close are exactly the set differences of the two documents'
// flows (the same property TestCompareUpstreamHistory checks on the real
// history).
func FuzzCompare(f *testing.F) {
	f.Add("Nodes to nodes traffic\nPort | Protocol | Purpose |\n---|---|---|\n123 | UDP | NTP |\n4205 | TCP | metrics |\n",
		"Nodes to masters traffic\nPort | Protocol | Purpose |\n---|---|---|\n4234 | UDP | NTP |\n")
	f.Add("groups:\n- group: NodesToNodes\n  description:\n    en: Nodes to nodes traffic\n  destinations:\n  - ports: \"7946, 7947\"\n    protocol: TCP/UDP\n    description:\n      en: speakers\n",
		"groups:\n- group: NodesToNodes\n  description:\n    en: Nodes to nodes traffic\n  destinations:\n  - ports: \"4218\"\n    protocol: TCP\n    description:\n      en: speakers\n  - ports: \"\"\n    protocol: ICMP\n    description:\n      en: ICMP\n")
	f.Add("## Nodes to nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 9680 | TCP | runtime-audit-engine webhook |\n",
		"## Nodes to nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 4227 | TCP | runtime-audit-engine webhook handler |\n| 9680 | UDP | x |\n")
	f.Fuzz(func(t *testing.T, a, b string) {
		da, err := parser.Parse("a", []byte(a), parser.Options{})
		if err != nil {
			return
		}
		db, err := parser.Parse("b", []byte(b), parser.Options{})
		if err != nil {
			return
		}
		if d := compare.Documents(da, da); !d.Empty() {
			t.Fatalf("a document differs from itself: %v", keys(d))
		}
		d := compare.Documents(da, db)
		removed, added := changedFlows(d)
		fa, fb := flowSet(da), flowSet(db)
		if diff := cmp.Diff(setMinus(fa, fb), removed, cmpEmpty); diff != "" {
			t.Errorf("removed (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(setMinus(fb, fa), added, cmpEmpty); diff != "" {
			t.Errorf("added (-want +got):\n%s", diff)
		}
	})
}

func flowSet(d *spec.Document) map[string]bool {
	m := map[string]bool{}
	for _, f := range d.Flows() {
		var rs []spec.PortRange
		if f.Protocol != spec.ICMP {
			rs = []spec.PortRange{f.Ports}
		}
		for _, n := range flowNames(f.Group, f.Protocol, rs) {
			m[n] = true
		}
	}
	return m
}

func setMinus(a, b map[string]bool) []string {
	out := []string{}
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
