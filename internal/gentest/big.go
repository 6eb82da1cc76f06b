package gentest

import (
	"go/token"
	"strconv"

	"github.com/portspec/portspec/spec"
)

// Big is a valid model of n rows spread over the seven known groups, TCP
// and UDP, every (group, protocol, port) distinct: the document of the
// generators' benchmarks and large-output tests, made on the fly.
func Big(n int) *spec.Document {
	doc := &spec.Document{Source: "big.md", SHA256: "00", Languages: []string{"en"}}
	for _, k := range spec.KnownGroups() {
		doc.Groups = append(doc.Groups, spec.Group{ID: k.ID, Known: true, From: k.From, To: k.To, Direction: k.Direction})
	}
	for i := range n {
		g, k := i%7, i/7
		proto := spec.TCP
		if k%2 == 1 {
			proto = spec.UDP
		}
		port := uint16(1 + k/2)
		doc.Groups[g].Rules = append(doc.Groups[g].Rules, spec.Rule{
			Protocol: proto,
			Ports:    []spec.PortRange{{First: port, Last: port}},
			Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "service " + strconv.Itoa(i) + " metrics"}}),
			Pos:      token.Position{Filename: "big.md", Line: i + 1, Column: 1},
		})
	}
	return doc
}
