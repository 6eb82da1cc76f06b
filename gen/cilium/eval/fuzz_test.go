package eval_test

import (
	"go/token"
	"testing"

	"github.com/portspec/portspec/spec"
)

// FuzzPolicies builds documents of any purpose text, group, protocol and
// port range the model can hold, and checks that the generated policies,
// read back from their YAML, allow exactly the document's flows plus the
// baseline (and, with the defaults, only widen sources).
func FuzzPolicies(f *testing.F) {
	f.Add("etcd", "Masters", uint8(0), uint8(0), uint16(2379), uint16(2380))
	f.Add("a: b # c\n---\n- {x}", "t: '\"", uint8(3), uint8(2), uint16(0), uint16(0))
	f.Add("NodePort metrics", "x", uint8(5), uint8(1), uint16(30000), uint16(32767))
	f.Add("dns", "out", uint8(6), uint8(1), uint16(53), uint16(53))
	f.Fuzz(func(t *testing.T, purpose, title string, group, proto uint8, first, last uint16) {
		known := spec.KnownGroups()
		k := known[int(group)%len(known)]
		r := spec.Rule{
			Protocol: []spec.Protocol{spec.TCP, spec.UDP, spec.ICMP}[int(proto)%3],
			Purposes: map[string]spec.Purpose{"en": {Text: purpose, Markdown: purpose}},
			Pos:      token.Position{Filename: "fuzz.md", Line: 2, Column: 1},
		}
		if r.Protocol != spec.ICMP {
			r.Ports = []spec.PortRange{{First: first, Last: last}}
		}
		doc := &spec.Document{Source: "fuzz.md", SHA256: "00", Languages: []string{"en"}, Groups: []spec.Group{{
			ID: k.ID, Known: true, From: k.From, To: k.To, Direction: k.Direction,
			Titles: map[string]string{"en": title}, Pos: token.Position{Filename: "fuzz.md", Line: 1, Column: 1},
			Rules: []spec.Rule{r},
		}}}
		if spec.Validate(doc) != nil {
			return // not a document the model can hold
		}
		checkExact(t, doc)
		checkDefaults(t, doc)
	})
}
