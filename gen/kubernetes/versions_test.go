package kubernetes

import (
	"os"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestDataVersions: for every valid upstream data version, every port a
// generated NetworkPolicy opens is a port of a row to that destination, and
// every row the policies leave out is named in a warning.
func TestDataVersions(t *testing.T) {
	for _, path := range upstream.Glob(t, "data/*.yml") {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := parser.Parse(path, src, parser.Options{})
		if err != nil {
			continue // the two stored versions that are not valid YAML
		}
		out, err := New().Generate(gen.Request{Doc: doc})
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		// Port → destination roles the document opens it on.
		opened := map[[2]int32]map[spec.Role]bool{}
		for _, g := range doc.Groups {
			for _, r := range g.Rules {
				for _, pr := range r.Ports {
					for p := int32(pr.First); p <= int32(pr.Last); p++ {
						k := [2]int32{int32(r.Protocol), p}
						if opened[k] == nil {
							opened[k] = map[spec.Role]bool{}
						}
						opened[k][g.To] = true
					}
				}
			}
		}
		for name, np := range parse(t, out) {
			for _, e := range np.Spec.Egress {
				for _, p := range e.Ports {
					proto := spec.TCP
					if string(*p.Protocol) == "UDP" {
						proto = spec.UDP
					}
					last := p.Port.IntVal
					if p.EndPort != nil {
						last = *p.EndPort
					}
					for port := p.Port.IntVal; port <= last; port++ {
						if len(opened[[2]int32{int32(proto), port}]) == 0 {
							t.Errorf("%s: %s opens %s/%d, which no row of the document opens", path, name, proto, port)
						}
					}
				}
			}
		}
		if len(out.Warnings) == 0 {
			t.Errorf("%s: no warning names the host-only rows", path)
		}
	}
}
