package kubernetes

import (
	"os"
	"strconv"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestDataVersions: for every valid upstream data version, every port a
// generated policy opens is a port of a row whose destination is a node,
// and the rows the policies leave out are named in a warning.
func TestDataVersions(t *testing.T) {
	parsed := 0
	for _, path := range upstream.Glob(t, "data/*.yml") {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parser.Parse(path, src, parser.Options{})
		if err != nil {
			continue // the two stored versions that are not valid YAML
		}
		parsed++
		out, err := New().Generate(gen.Request{Doc: doc})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		// (protocol, port) of every row to a node.
		opened := map[[2]int32]bool{}
		for _, g := range doc.Groups {
			if g.To == spec.RoleExternal || g.To == spec.RoleUnknown {
				continue
			}
			for _, r := range g.Rules {
				for _, pr := range r.Ports {
					for p := int32(pr.First); p <= int32(pr.Last); p++ {
						opened[[2]int32{int32(r.Protocol), p}] = true
					}
				}
			}
		}
		if len(out.Files) == 0 {
			t.Errorf("%s: no policy: Prometheus scrapes the metrics rows of every version", path)
		}
		for name, o := range parse(t, out) {
			for _, e := range o.CNP.Spec.Egress {
				for _, pr := range e.ToPorts {
					for _, p := range pr.Ports {
						proto := spec.TCP
						if p.Protocol == "UDP" {
							proto = spec.UDP
						}
						first, _ := strconv.Atoi(p.Port)
						last := int32(first)
						if p.EndPort != 0 {
							last = p.EndPort
						}
						for port := int32(first); port <= last; port++ {
							if !opened[[2]int32{int32(proto), port}] {
								t.Errorf("%s: %s opens %s/%d, which no row to a node opens", path, name, proto, port)
							}
						}
					}
				}
			}
		}
		if len(out.Warnings) == 0 {
			t.Errorf("%s: no warning names the host-only rows", path)
		}
	}
	// Two of the stored versions are invalid YAML; every other one must be
	// checked.
	if parsed < 20 {
		t.Errorf("only %d data versions parsed", parsed)
	}
}
