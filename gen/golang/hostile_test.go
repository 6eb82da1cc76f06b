package golang

import (
	"go/ast"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// hostilePurposes are texts from the outside world that must end up only in
// comments and string literals.
var hostilePurposes = []string{
	"*/ func init() { panic(1) } /*",
	"first line\nsecond line\n//go:generate rm -rf /",
	"//go:build ignore",
	"`back` \"double\" 'single' \\ backslash",
	"Привет, мир",
	"func",
	"package main; import \"os\"",
	"nul\x00 and bell\x07 and invalid \xff\xfe utf-8",
	"bidi \u202e reversed \u2066 isolate \u2069 bom \ufeff line\u2028sep",
	"",
	"Lookup",
	"Rules",
	"Test helper",
	"123 numbers first",
	"   ",
	"<!-- html --> <script>x</script> ${var} %s %v",
}

// hostileDoc builds a model by hand, so that the generator is tested on
// every text a model can hold, not only on what today's parser produces.
func hostileDoc() *spec.Document {
	doc := &spec.Document{
		Source:    "evil\n//go:generate x.md\x00\xff",
		SHA256:    "00",
		Languages: []string{"en", "ru"},
	}
	groups := []spec.Group{
		{ID: "MastersToNodes", Known: true, From: spec.RoleMaster, To: spec.RoleNode, Titles: map[string]string{"en": "*/ title\n//go:x"}},
		{ID: "123 Привет */", Titles: map[string]string{"ru": "Заголовок"}},
		{ID: "Rule", Known: true, From: spec.RoleNode, To: spec.RoleExternal},
		{ID: "func"},
		{ID: ""},
	}
	port := uint16(1000)
	for gi := range groups {
		for i, p := range hostilePurposes {
			proto := spec.TCP
			if i%3 == 1 {
				proto = spec.UDP
			}
			r := spec.Rule{
				Protocol: proto,
				Ports:    []spec.PortRange{{First: port, Last: port}},
				Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: p, Markdown: p}, "ru": {Text: p + " ру"}}),
				Pos:      token.Position{Filename: "evil*/\n.md", Line: i + 1, Column: 1},
			}
			if i%5 == 4 {
				r.Ports = append(r.Ports, spec.PortRange{First: port + 1, Last: port + 9})
			}
			port += 10
			groups[gi].Rules = append(groups[gi].Rules, r)
		}
		groups[gi].Rules = append(groups[gi].Rules, spec.Rule{Protocol: spec.ICMP, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "*/ icmp"}})})
	}
	doc.Groups = groups
	return doc
}

func TestHostilePurposesStayInCommentsAndStrings(t *testing.T) {
	doc := hostileDoc()
	out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
	if err != nil {
		t.Fatal(err)
	}
	files := newChecker().check(t, out)
	for _, f := range out.Files {
		assertOnlyInCommentsAndStrings(t, f.Path, f.Data)
	}

	// Every purpose survives, byte for byte, in the Rules literal.
	var want []string
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			want = append(want, r.Purpose("en"))
		}
	}
	got := rulePurposes(t, files["rules.go"])
	if len(got) != len(want) {
		t.Fatalf("%d purposes in Rules, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("rule %d: purpose %q, want %q", i, got[i], want[i])
		}
	}
}

// TestHostileMarkdown runs the same texts through the real parser.
func TestHostileMarkdown(t *testing.T) {
	var b strings.Builder
	b.WriteString("## Traffic between nodes\n\n| Port | Protocol | Purpose |\n|---|---|---|\n")
	for i, p := range hostilePurposes {
		// Table cells are one line; the parser refuses NUL and invalid
		// UTF-8 (binary input), so those are tested on the hand-built model only.
		p = strings.ToValidUTF8(strings.NewReplacer("\n", " ", "|", "\\|", "\x00", "").Replace(p), "?")
		b.WriteString("| " + strconv.Itoa(2000+i) + " | TCP | " + p + " |\n")
	}
	b.WriteString("## */ Unknown //go:generate heading `x`\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 53 | UDP | *bold* `code` [link](http://x) |\n")
	doc, err := parser.Parse("hostile.md", []byte(b.String()), parser.Options{})
	if err != nil {
		t.Fatalf("parser rejected the hostile document: %v", err)
	}
	out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
	if err != nil {
		t.Fatal(err)
	}
	newChecker().check(t, out)
	for _, f := range out.Files {
		assertOnlyInCommentsAndStrings(t, f.Path, f.Data)
	}
}

// assertOnlyInCommentsAndStrings scans a generated file: every comment is a
// line comment and no line is a //go: directive (outside text could
// otherwise reach the toolchain), and every identifier is ASCII (the
// generator derives names, it never copies text into code).
func assertOnlyInCommentsAndStrings(t *testing.T, name string, src []byte) {
	t.Helper()
	for i, line := range strings.Split(string(src), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "//go:") || strings.HasPrefix(trimmed, "//line ") || strings.HasPrefix(trimmed, "/*") {
			t.Errorf("%s:%d: directive or block comment: %q", name, i+1, line)
		}
	}
	fset := token.NewFileSet()
	var s scanner.Scanner
	s.Init(fset.AddFile(name, -1, len(src)), src, func(pos token.Position, msg string) {
		t.Errorf("%s: %s", pos, msg)
	}, scanner.ScanComments)
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		switch tok {
		case token.COMMENT:
			if !strings.HasPrefix(lit, "//") {
				t.Errorf("%s: block comment %q", fset.Position(pos), lit)
			}
		case token.IDENT:
			for _, r := range lit {
				if r > 0x7f {
					t.Errorf("%s: non-ASCII identifier %q", fset.Position(pos), lit)
					break
				}
			}
		}
	}
}

// rulePurposes reads the Purpose fields of the Rules literal back.
func rulePurposes(t *testing.T, f *ast.File) []string {
	t.Helper()
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "Rules" {
			return true
		}
		for _, el := range vs.Values[0].(*ast.CompositeLit).Elts {
			for _, kv := range el.(*ast.CompositeLit).Elts {
				kv := kv.(*ast.KeyValueExpr)
				if kv.Key.(*ast.Ident).Name == "Purpose" {
					s, err := strconv.Unquote(kv.Value.(*ast.BasicLit).Value)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, s)
				}
			}
		}
		return false
	})
	return out
}

// TestEmptyDocument: a model without rules still generates a package that
// compiles (every table empty).
func TestEmptyDocument(t *testing.T) {
	for _, doc := range []*spec.Document{
		{Source: "empty.md"},
		{Source: "icmp.md", Groups: []spec.Group{{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode,
			Rules: []spec.Rule{{Protocol: spec.ICMP, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "ping"}})}}}}},
	} {
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			t.Fatal(err)
		}
		newChecker().check(t, out)
	}
}
