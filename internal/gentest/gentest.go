// Package gentest is test support for every generator: a small document of
// our own, one whose purposes are hostile, loaders of the default document
// and the upstream inputs, the gate of the system tests, and the bridge from
// generated files to internal/golden.
package gentest

import (
	"go/token"
	"testing"

	"github.com/portspec/portspec/spec"
)

// Hostile returns hostile purposes (a new slice each call): YAML specials, new lines, a document separator, Jinja
// expressions and statements, nftables and shell syntax. None may change
// the structure of any generated file, and Ansible must print each one
// literally.
func Hostile() []string {
	return []string{
		"{{ lookup('pipe', 'id') }}",
		"{% raw %}{{ 7 * 7 }}{% endraw %} {# comment #}",
		"a: b # c - { d } \" ' [e] & *f !g | > % @ `",
		"line one\nline two\r\n---\n... ",
		"}\n\t}\n}\nflush ruleset\ntable inet x {",
		"\u2028sep\u2029 \x00nul \x1b[31m",
		"$(id) `id` ${HOME}",
	}
}

// Small is a document of our own: every group kind, a list, a range wider
// than ufw's limit allows in one rule, TCP and UDP on the same port, ICMP,
// and an egress group.
func Small() *spec.Document {
	pos := func(line int) token.Position { return token.Position{Filename: "small.md", Line: line, Column: 1} }
	en := func(s string) spec.Purposes {
		return spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: s, Markdown: s}})
	}
	pr := func(a, b uint16) spec.PortRange { return spec.PortRange{First: a, Last: b} }
	one := func(a uint16) spec.PortRange { return pr(a, a) }
	var many []spec.PortRange
	for p := uint16(5000); p < 5020; p += 2 {
		many = append(many, pr(p, p+1))
	}
	group := func(id string, line int, rules ...spec.Rule) spec.Group {
		k, _ := spec.LookupGroup(id)
		return spec.Group{ID: id, Known: true, Titles: map[string]string{"en": id}, From: k.From, To: k.To, Direction: k.Direction, Pos: pos(line), Rules: rules}
	}
	return &spec.Document{
		Source: "small.md", Kind: "markdown", SHA256: "0000", Languages: []string{"en"},
		Groups: []spec.Group{
			group("MastersToMasters", 1, spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(2380), one(2379)}, Purposes: en("etcd"), Pos: pos(3)}),
			group("MastersToNodes", 5, spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(10250)}, Purposes: en("kubelet"), Pos: pos(7)}),
			group("NodesToMasters", 9,
				spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(6443)}, Purposes: en("apiserver"), Pos: pos(11)},
				spec.Rule{Protocol: spec.UDP, Ports: []spec.PortRange{one(4234)}, Purposes: en("time sync"), Pos: pos(12)}),
			group("NodesToNodes", 14,
				spec.Rule{Protocol: spec.ICMP, Purposes: en("ping"), Pos: pos(16)},
				spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{pr(7000, 7999)}, Purposes: en("drbd"), Pos: pos(17)},
				spec.Rule{Protocol: spec.TCP, Ports: many, Purposes: en("many ranges"), Pos: pos(18)},
				spec.Rule{Protocol: spec.UDP, Ports: []spec.PortRange{one(8472)}, Purposes: en("vxlan"), Pos: pos(19)}),
			group("ExternalToMaster", 21, spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(22), one(6443)}, Purposes: en("ssh and api"), Pos: pos(23)}),
			group("ExternalToFrontends", 25,
				spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(80), one(443)}, Purposes: en("http"), Pos: pos(27)},
				spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{pr(30000, 32767)}, Purposes: en("nodeport"), Pos: pos(28)}),
			group("NodesToExternal", 30,
				spec.Rule{Protocol: spec.UDP, Ports: []spec.PortRange{one(53)}, Purposes: en("dns"), Pos: pos(32)},
				spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{one(53)}, Purposes: en("dns"), Pos: pos(33)}),
		},
	}
}

// WithHostile returns doc with every purpose replaced by one of Hostile
// (in turn), and a source name that is hostile too.
func WithHostile(doc *spec.Document) *spec.Document {
	i, hostile := 0, Hostile()
	doc.Source = "evil {{ lookup('pipe','id') }}\n---\n.md"
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		g.Titles = map[string]string{"en": hostile[i%len(hostile)]}
		for ri := range g.Rules {
			g.Rules[ri].Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: hostile[i%len(hostile)]}})
			i++
		}
	}
	return doc
}

// FuzzText is the body of the generators' document-text fuzz targets:
// seeded with Hostile (as purpose and source name alike), it runs check on
// Small with its first rule's purpose (MastersToMasters) and its source
// name replaced by what the fuzzer tries. Seeds of the caller's own go in
// with f.Add before.
func FuzzText(f *testing.F, check func(t *testing.T, doc *spec.Document, purpose, source string)) {
	for _, h := range Hostile() {
		f.Add(h, h)
	}
	f.Fuzz(func(t *testing.T, purpose, source string) {
		doc := Small()
		doc.Source = source
		doc.Groups[0].Rules[0].Purposes.Set("en", spec.Purpose{Text: purpose, Markdown: purpose})
		check(t, doc, purpose, source)
	})
}
