package golang

import (
	"bytes"
	"go/format"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// docCommentHostile are texts that go/format's doc comment rules would
// rewrite if they began a paragraph or a line of their own: headings (new
// and old style), link definitions, lists, code blocks (indented lines),
// directives, and words longer than a line.
var docCommentHostile = []string{
	"# Heading",
	"x\n\n# Heading\n\nmore text",
	"Old Style Heading",
	"x\n\nOld Style Heading\n\nParagraph after it",
	"[link]: https://example.com/a",
	"x [link]: https://example.com/a\n[b]: http://b",
	"- one\n- two\n  - nested",
	"1. one\n2) two",
	"\tcode line\n\t\tmore code",
	"    four spaces",
	"func main() {\n\tfmt.Println()\n}",
	"//go:generate rm -rf /\n//line x.go:1",
	strings.Repeat("x", 200) + " " + strings.Repeat("y", 80),
	strings.Repeat("word ", 40) + "# not a heading [l]: http://x - item",
	"a\u00a0b\u2003c\u3000d \u0085e",
	"ends with space ",
	"",
}

// textCase is a document the target writes as text, with its idents and
// package folder.
type textCase struct {
	doc    *spec.Document
	idents map[string]string
	dir    string
}

// textCases are the documents the text must be right for: the real ones
// with this repository's names, hostile texts everywhere a text goes,
// documents of every shape (empty, ICMP only, groups not in order, ranges,
// site rows), and large ones.
func textCases(t testing.TB) map[string]textCase {
	t.Helper()
	hostileMD := func() *spec.Document {
		var b strings.Builder
		b.WriteString("## Traffic between nodes\n\n| Port | Protocol | Purpose |\n|---|---|---|\n")
		for i, p := range append(append([]string(nil), hostilePurposes...), docCommentHostile...) {
			p = strings.ToValidUTF8(strings.NewReplacer("\n", " ", "|", "\\|", "\x00", "").Replace(p), "?")
			b.WriteString("| " + strconv.Itoa(3000+i) + " | TCP | " + p + " |\n")
		}
		doc, err := parser.Parse("hostile.md", []byte(b.String()), parser.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	cases := map[string]textCase{
		"default":          {doc: defaultDoc(t), idents: repoIdents(t)},
		"default, derived": {doc: defaultDoc(t)},
		"newest data":      {doc: newestData(t), idents: repoIdents(t)},
		"hostile":          {doc: hostileDoc()},
		"hostile, dir":     {doc: hostileDoc(), dir: "generated/p0"},
		"gentest hostile":  {doc: gentest.WithHostile(gentest.Small())},
		"doc comments":     {doc: docCommentDoc()},
		"hostile markdown": {doc: hostileMD()},
		"small":            {doc: gentest.Small()},
		"sites":            {doc: siteDoc()},
		"groups apart":     {doc: groupsApartDoc()},
		"rows=1000":        {doc: gentest.Big(1000)},
		"empty":            {doc: &spec.Document{Source: "empty.md"}},
		"no rules":         {doc: &spec.Document{Source: "g.md", Groups: []spec.Group{{ID: "NodesToNodes"}, {ID: "x"}}}},
		"icmp": {doc: &spec.Document{Source: "icmp.md", Groups: []spec.Group{{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode,
			Rules: []spec.Rule{{Protocol: spec.ICMP, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "ping"}})}}}}}},
	}
	for _, h := range gentest.Hostile() {
		d := gentest.Small()
		d.Source = h
		cases["source "+h] = textCase{doc: d}
	}
	return cases
}

// docCommentDoc puts docCommentHostile into every text of a constant's
// comment: purposes, group ids and titles, file names, site reasons.
func docCommentDoc() *spec.Document {
	doc := &spec.Document{Source: "dc.md\n\n# Heading\n\n[a]: http://b", SHA256: "00", Languages: []string{"en", "ru"}}
	port := uint16(100)
	for gi, h := range docCommentHostile {
		g := spec.Group{ID: h, Known: gi%2 == 0, From: spec.RoleNode, To: spec.RoleMaster, Titles: map[string]string{"en": h}}
		for ri, p := range docCommentHostile {
			r := spec.Rule{
				Protocol: spec.TCP,
				Ports:    []spec.PortRange{{First: port, Last: port}},
				Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: p}, "ru": {Text: h}}),
				Pos:      token.Position{Filename: h, Line: ri + 1},
			}
			if ri%3 == 0 {
				r.Ports = append(r.Ports, spec.PortRange{First: port + 1, Last: port + 5})
			}
			if ri%4 == 1 {
				r.Site = &spec.SiteChange{Action: spec.SiteReplaced, Reason: p, Pos: token.Position{Filename: h, Line: 2, Column: 3}, DocumentPorts: []spec.PortRange{{First: 1, Last: 1}}}
			}
			port += 10
			g.Rules = append(g.Rules, r)
		}
		doc.Groups = append(doc.Groups, g)
	}
	return doc
}

// siteDoc has rows of the site's overlay: added and with other ports.
func siteDoc() *spec.Document {
	doc := gentest.Small()
	doc.Groups[1].Rules[0].Site = &spec.SiteChange{Action: spec.SiteReplaced, Reason: "our kubelet */ listens\nelsewhere", Pos: token.Position{Filename: "portspec.yaml", Line: 41, Column: 7}, DocumentPorts: []spec.PortRange{{First: 10250, Last: 10250}}}
	doc.Groups[3].Rules[1].Site = &spec.SiteChange{Action: spec.SiteAdded, Pos: token.Position{Filename: "portspec.yaml", Line: 44, Column: 7}}
	return doc
}

// groupsApartDoc has one group id in two tables, apart, so that the rules
// sorted by group are not in document order.
func groupsApartDoc() *spec.Document {
	doc := gentest.Small()
	extra := doc.Groups[0]
	extra.Rules = []spec.Rule{{Protocol: spec.UDP, Ports: []spec.PortRange{{First: 9, Last: 9}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "again"}})}}
	doc.Groups = append(doc.Groups, extra)
	return doc
}

// generateText runs the target and returns its files by name.
func generateText(t testing.TB, c textCase) (*model, string, map[string][]byte) {
	t.Helper()
	dir := c.dir
	if dir == "" {
		dir = "ports"
	}
	out, err := New().Generate(gen.Request{Doc: c.doc, Dir: dir, Idents: c.idents})
	if err != nil {
		t.Fatal(err)
	}
	m, err := build(c.doc, c.idents)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range out.Files {
		files[f.Path] = f.Data
	}
	return m, dir[strings.LastIndex(dir, "/")+1:], files
}

// assertFormatted fails unless every file is its own gofmt form.
func assertFormatted(t testing.TB, files map[string][]byte) {
	t.Helper()
	for name, data := range files {
		want, err := format.Source(data)
		if err != nil {
			t.Fatalf("%s does not format: %v", name, err)
		}
		if !bytes.Equal(data, want) {
			t.Errorf("%s is not gofmt-formatted (-gofmt +got):\n%s", name, cmp.Diff(string(want), string(data)))
		}
	}
}

// assertAsJennifer fails unless rules.go and ports.go are the bytes the
// jennifer implementation writes.
func assertAsJennifer(t testing.TB, m *model, pkg string, files map[string][]byte) {
	t.Helper()
	for _, f := range []struct {
		name string
		emit func(*model, string) ([]byte, error)
	}{{"rules.go", emitRulesJennifer}, {"ports.go", emitAPIJennifer}} {
		want, err := f.emit(m, pkg)
		if err != nil {
			t.Fatalf("%s: jennifer: %v", f.name, err)
		}
		if !bytes.Equal(files[f.name], want) {
			t.Errorf("%s differs from jennifer's (-jennifer +text):\n%s", f.name, cmp.Diff(string(want), string(files[f.name])))
		}
	}
}

// TestGeneratedIsFormatted: every file the target writes equals its gofmt
// form, though rules.go and the head of ports.go are written as text and
// never formatted.
func TestGeneratedIsFormatted(t *testing.T) {
	for name, c := range textCases(t) {
		t.Run(name, func(t *testing.T) {
			_, _, files := generateText(t, c)
			assertFormatted(t, files)
		})
	}
}

// TestTextEqualsJennifer: rules.go and ports.go are byte for byte what the
// jennifer implementation (rules_jennifer_test.go) writes.
func TestTextEqualsJennifer(t *testing.T) {
	for name, c := range textCases(t) {
		t.Run(name, func(t *testing.T) {
			m, pkg, files := generateText(t, c)
			assertAsJennifer(t, m, pkg, files)
		})
	}
}

// TestRulesSizedUpFront: rules.go is written into one buffer that is
// large enough and not much larger.
func TestRulesSizedUpFront(t *testing.T) {
	for _, name := range []string{"default", "newest data", "small", "rows=1000", "hostile", "sites", "groups apart", "empty"} {
		c := textCases(t)[name]
		m, err := build(c.doc, c.idents)
		if err != nil {
			t.Fatal(err)
		}
		data, err := emitRules(m, "ports")
		if err != nil {
			t.Fatal(err)
		}
		l := layoutOf(m)
		size := newRulesWriter(m).size("ports", l.ss, l.identity, len(l.bounds))
		if size < len(data) || float64(size) > 1.15*float64(len(data)) {
			t.Errorf("%s: rules.go is %d bytes, its buffer was sized %d (%.2f×)", name, len(data), size, float64(size)/float64(len(data)))
		}
	}
}

// TestBigIsFormatted is TestGeneratedIsFormatted at a size where a column
// of gofmt's would show: 20,000 rules, ports up to 1,429 (1-4 digits).
func TestBigIsFormatted(t *testing.T) {
	if testing.Short() {
		t.Skip("large document")
	}
	c := textCase{doc: gentest.Big(20000)}
	m, pkg, files := generateText(t, c)
	assertFormatted(t, files)
	assertAsJennifer(t, m, pkg, files)
}

// TestUpstreamAsJennifer: the text equals jennifer's and gofmt's form for
// every upstream data version and seed that parses, with this
// repository's names.
func TestUpstreamAsJennifer(t *testing.T) {
	idents := repoIdents(t)
	for path, doc := range upstreamDocs(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			m, pkg, out := generateText(t, textCase{doc: doc, idents: idents})
			assertFormatted(t, out)
			assertAsJennifer(t, m, pkg, out)
		})
	}
}

// FuzzCommentText: commentText's shortcut for text already folded is
// gen.OneLine's result.
func FuzzCommentText(f *testing.F) {
	for _, s := range append(append(gentest.Hostile(), hostilePurposes...), docCommentHostile...) {
		f.Add(s)
	}
	f.Add("plain ascii text")
	f.Add(" lead")
	f.Add("trail ")
	f.Add("two  spaces")
	f.Add("tab\there")
	f.Add("del\x7f")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := commentText(s), gen.OneLine(s); got != want {
			t.Errorf("commentText(%q) = %q, gen.OneLine %q", s, got, want)
		}
	})
}
