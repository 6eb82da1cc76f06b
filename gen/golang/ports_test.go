package golang

import (
	"testing"

	"github.com/portspec/portspec/generated/ports"
)

// These tests run against the checked-in generated/ports: the package users
// import.

// TestLookupMatchesRules compares Lookup and Allowed with a plain scan of
// ports.Rules for every port and protocol.
func TestLookupMatchesRules(t *testing.T) {
	roles := []ports.Role{ports.RoleMaster, ports.RoleNode, ports.RoleFrontend, ports.RoleExternal}
	covers := func(rule, actual ports.Role) bool {
		return rule == actual || rule == ports.RoleNode && (actual == ports.RoleMaster || actual == ports.RoleFrontend)
	}
	for _, p := range []ports.Protocol{ports.TCP, ports.UDP, ports.ICMP} {
		for port := 0; port <= 65535; port++ {
			var want []ports.Rule
			for _, r := range ports.Rules {
				if r.Protocol != p {
					continue
				}
				hit := p == ports.ICMP
				for _, pr := range r.Ports {
					hit = hit || pr.First <= uint16(port) && uint16(port) <= pr.Last
				}
				if hit {
					want = append(want, r)
				}
			}
			got := ports.Lookup(uint16(port), p)
			if len(got) != len(want) {
				t.Fatalf("Lookup(%d, %s): %d rules, want %d", port, p, len(got), len(want))
			}
			for i := range got {
				if got[i].String() != want[i].String() || got[i].Purpose != want[i].Purpose {
					t.Fatalf("Lookup(%d, %s)[%d] = %s, want %s", port, p, i, got[i], want[i])
				}
			}
			if len(want) == 0 {
				continue
			}
			for _, from := range roles {
				for _, to := range roles {
					exp := false
					for _, r := range want {
						exp = exp || covers(r.From, from) && covers(r.To, to)
					}
					if got := ports.Allowed(from, to, uint16(port), p); got != exp {
						t.Fatalf("Allowed(%s, %s, %d, %s) = %v, want %v", from, to, port, p, got, exp)
					}
				}
			}
		}
	}
	if n := len(ports.ByGroup(ports.NodesToNodes)); n == 0 {
		t.Errorf("ByGroup(NodesToNodes) is empty")
	}
	for _, r := range ports.ByGroup(ports.NodesToExternal) {
		if r.Group != ports.NodesToExternal || r.From != ports.RoleNode || r.To != ports.RoleExternal {
			t.Errorf("ByGroup(NodesToExternal) holds %s", r)
		}
	}
	if ports.ByGroup(0) != nil || ports.ByGroup(1000) != nil {
		t.Errorf("ByGroup of no group is not nil")
	}
}

func TestLookupAndAllowedDoNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() {
		_ = ports.Lookup(ports.Kubelet, ports.TCP)
		_ = ports.Allowed(ports.RoleMaster, ports.RoleNode, ports.Kubelet, ports.TCP)
		_ = ports.ByGroup(ports.MastersToNodes)
	}); n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
	// Appending to a result must not write into the shared table (results
	// are capped slices): append to every result, then compare all lookups.
	snapshot := func() []string {
		var out []string
		for _, p := range []ports.Protocol{ports.TCP, ports.UDP} {
			for port := 0; port <= 65535; port++ {
				for _, r := range ports.Lookup(uint16(port), p) {
					out = append(out, r.Purpose)
				}
			}
		}
		return out
	}
	before := snapshot()
	for _, p := range []ports.Protocol{ports.TCP, ports.UDP} {
		for port := 0; port <= 65535; port++ {
			if rs := ports.Lookup(uint16(port), p); len(rs) > 0 {
				_ = append(rs, ports.Rule{Purpose: "mine"})
			}
		}
	}
	after := snapshot()
	if len(before) != len(after) {
		t.Fatalf("lookups changed after appending to results")
	}
	for i := range before {
		if before[i] != after[i] {
			t.Fatalf("appending to a Lookup result changed the table: %q became %q", before[i], after[i])
		}
	}
}

var sink bool

func BenchmarkLookup(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n += len(ports.Lookup(ports.Kubelet, ports.TCP))
	}
	sink = n > 0
}

func BenchmarkAllowed(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = ports.Allowed(ports.RoleMaster, ports.RoleNode, ports.Kubelet, ports.TCP)
	}
}

func BenchmarkAllowedMiss(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sink = ports.Allowed(ports.RoleExternal, ports.RoleNode, 9, ports.UDP)
	}
}
