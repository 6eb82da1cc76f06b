package golang

import (
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzGenerate: any document the parser accepts generates Go that
// type-checks, with outside text only in comments and string literals,
// in gofmt's form and, for rules.go and ports.go (written as text), the
// bytes the jennifer implementation writes.
func FuzzGenerate(f *testing.F) {
	f.Add(spec.Default())
	f.Add([]byte("## Traffic between nodes\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 80 | TCP | */ `x` //go:generate |\n| 81-90 | UDP | func |\n|  | ICMP | ping |\n"))
	f.Add([]byte("## */ weird heading\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 1 | TCP | Привет |\n| 2 | TCP | Привет |\n| 2 | UDP | Привет |\n"))
	f.Add([]byte("groups:\n- group: NodesToNodes\n  description: {en: x, ru: y}\n  destinations:\n  - ports: \"4218\"\n    protocol: TCP/UDP\n    description: {en: \"a\\nb */\", ru: \"в\"}\n"))
	c := newChecker()
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parser.Parse("fuzz.md", src, parser.Options{})
		if err != nil {
			return
		}
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			t.Fatalf("valid model, generator failed: %v", err)
		}
		c.check(t, out)
		for _, file := range out.Files {
			assertOnlyInCommentsAndStrings(t, file.Path, file.Data)
		}
		assertTextForm(t, doc, out)
	})
}

// FuzzGenerateModel reaches the generator with any text the model can hold
// (purposes, titles, group ids, source names), past what the parser lets
// through: the package must still type-check with that text only in
// comments and string literals, in gofmt's form and as jennifer writes it.
func FuzzGenerateModel(f *testing.F) {
	for i, p := range hostilePurposes {
		f.Add(p, "MastersToNodes", "title */", "src.md", uint16(1000+i), uint16(0), i%2 == 0)
	}
	f.Add("a\nb", "123 Привет", "//go:x", "evil\x00.md", uint16(1), uint16(65535), true)
	for i, p := range docCommentHostile {
		f.Add(p, p, p, p, uint16(2000+i), uint16(i), i%2 == 1)
	}
	c := newChecker()
	f.Fuzz(func(t *testing.T, purpose, groupID, title, source string, port, span uint16, udp bool) {
		if port == 0 {
			port = 1
		}
		last := port
		if int(port)+int(span%1000) <= 65535 {
			last = port + span%1000
		}
		proto := spec.TCP
		if udp {
			proto = spec.UDP
		}
		doc := &spec.Document{Source: source, SHA256: "00", Languages: []string{"en"}, Groups: []spec.Group{
			{ID: groupID, Titles: map[string]string{"en": title}, Rules: []spec.Rule{
				{Protocol: proto, Ports: []spec.PortRange{{First: port, Last: last}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}, "ru": {Text: purpose}})},
				{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 1, Last: 1}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}})},
				{Protocol: spec.ICMP, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}})},
			}},
			{ID: groupID + "x", Known: true, From: spec.RoleNode, To: spec.RoleMaster, Rules: []spec.Rule{
				{Protocol: proto, Ports: []spec.PortRange{{First: port, Last: port}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}})},
			}},
		}}
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			t.Fatalf("generator failed: %v", err)
		}
		c.check(t, out)
		for _, file := range out.Files {
			assertOnlyInCommentsAndStrings(t, file.Path, file.Data)
		}
		assertTextForm(t, doc, out)
	})
}

// assertTextForm: every file of out is its own gofmt form, and rules.go and
// ports.go are what the jennifer implementation writes for doc.
func assertTextForm(t *testing.T, doc *spec.Document, out *gen.Output) {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range out.Files {
		files[f.Path] = f.Data
	}
	assertFormatted(t, files)
	m, err := build(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertAsJennifer(t, m, "ports", files)
}
