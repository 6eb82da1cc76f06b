package targets

import (
	"encoding/json"
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/gen/report"
	"github.com/portspec/portspec/spec"
)

// oneCell is a document whose one row lists n single ports 1..n in one
// cell ("1, 2, 3, …"), in a group with pod clients (so that the
// Kubernetes target writes them too) and another with host clients.
func oneCell(n int) *spec.Document {
	ports := make([]spec.PortRange, n)
	for i := range ports {
		ports[i] = spec.PortRange{First: uint16(i + 1), Last: uint16(i + 1)}
	}
	doc := &spec.Document{Source: "one-cell.yml", SHA256: "00", Languages: []string{"en"}}
	for _, id := range []string{"NodesToNodes", "ExternalToFrontends"} {
		k, _ := spec.LookupGroup(id)
		doc.Groups = append(doc.Groups, spec.Group{ID: id, Known: true, From: k.From, To: k.To, Direction: k.Direction,
			Titles: map[string]string{"en": id}, Pos: token.Position{Filename: "one-cell.yml", Line: 1, Column: 1},
			Rules: []spec.Rule{{Protocol: spec.TCP, Ports: append([]spec.PortRange(nil), ports...),
				Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "prometheus metrics of everything"}}),
				Pos:      token.Position{Filename: "one-cell.yml", Line: 2, Column: 1}}}})
	}
	return doc
}

// portTargets are the targets that name every port of a rule.
func portTargets() []gen.Generator {
	return []gen.Generator{golang.New(), drifttest.New(), cilium.New(), kubernetes.New(), ansible.New(), nftables.New()}
}

// oneCellTargets are the targets whose cost one cell of many ports
// drives: those that name every port, and the report, which has a row per
// range (its hostile text is checked in gen/report, as a page and a
// workbook are read, not line by line).
func oneCellTargets() []gen.Generator { return append(portTargets(), report.New()) }

// targetOptions are the options a target needs to write anything: the
// nftables rulesets must name their role address sets.
func targetOptions(g gen.Generator) json.RawMessage {
	if g.Name() == nftables.Name {
		return json.RawMessage(`{"privateRanges": true}`)
	}
	return nil
}

// BenchmarkOneCellPorts times each target on a single cell listing 8,192,
// 32,768 and 65,535 ports: every target must be near-linear in the number
// of ports (the time per port about the same at every size).
func BenchmarkOneCellPorts(b *testing.B) {
	for _, g := range oneCellTargets() {
		for _, n := range []int{8192, 32768, 65535} {
			doc := oneCell(n)
			b.Run(fmt.Sprintf("%s/ports=%d", g.Name(), n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := g.Generate(gen.Request{Doc: doc, Dir: "ports", Options: targetOptions(g), Clients: clients.New(nil)}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkTunnelCell: one VXLAN row listing n ports against a config
// that names n/2 tunnel ports (each port of the row is looked up among
// them).
func BenchmarkTunnelCell(b *testing.B) {
	for _, n := range []int{8192, 32768, 65535} {
		doc := oneCell(n)
		doc.Groups = doc.Groups[:1]
		r := &doc.Groups[0].Rules[0]
		r.Protocol = spec.UDP
		r.Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "VXLAN between nodes"}})
		var tunnel []string
		for p := 1; p <= n; p += 2 {
			tunnel = append(tunnel, fmt.Sprint(p))
		}
		opts := json.RawMessage(`{"tunnelPorts": [` + strings.Join(tunnel, ",") + `]}`)
		b.Run(fmt.Sprintf("ports=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cilium.New().Generate(gen.Request{Doc: doc, Options: opts, Dir: "cilium"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
