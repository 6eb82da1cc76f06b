package parser_test

import (
	"bytes"
	"testing"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzHTML: the HTML reader, on any bytes, keeps every promise of Parse
// (checkParsed), and every position it gives lies inside the input. The
// committed corpus is in testdata/fuzz/FuzzHTML (the forms cases' pages
// and the quirks of the tokenizer's repairs); scripts/fuzz.sh runs it for
// a bounded time in CI.
func FuzzHTML(f *testing.F) {
	f.Add([]byte("<h2>Traffic between nodes</h2><table><thead><tr><th>Port<th>Protocol<th>Purpose<tbody><tr><td>—<td>ICMP<td><p>a</p><p><em>b</em> <code>c</code></p></table>"))
	f.Add([]byte("<table><caption>x<tr><td colspan=2>1<td>TCP<table><tr><td>nested</table></td></tr>"))
	f.Add([]byte("<h2><a href=\"#x\">¶</a><script>\"<table>\"</script>x</h2><table><tr><th>Port</th><th>Port</th><th>Protocol</th><th>Purpose</th>"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parser.Parse("fuzz", src, parser.Options{Kind: parser.KindHTML})
		checkParsed(t, doc, err)
		checkInside(t, src, doc)
	})
}

// FuzzText: the text-copy reader (tab-separated and space-aligned), on any
// bytes, the same. Corpus: testdata/fuzz/FuzzText.
func FuzzText(f *testing.F) {
	f.Add([]byte("Traffic between nodes\nPort\tProtocol\tPurpose\n\tICMP\tx\n4295‑4297\tUDP\t\n\nparagraph\n"))
	f.Add([]byte("Master to master nodes traffic\n\n  Port        Protocol  Purpose\n  2379, 2380  TCP       etcd\n                        wrapped\n  —           ICMP      ping\n"))
	f.Add([]byte("Порт  Протокол  Назначение\n1 TCP x\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parser.Parse("fuzz", src, parser.Options{Kind: parser.KindText})
		checkParsed(t, doc, err)
		checkInside(t, src, doc)
	})
}

// checkInside fails when a rule, group, warning or partial finding points
// outside the input.
func checkInside(t *testing.T, src []byte, doc *spec.Document) {
	t.Helper()
	if doc == nil {
		return
	}
	lines := bytes.Count(src, []byte("\n")) + 1
	check := func(what string, line int) {
		if line < 1 || line > lines {
			t.Fatalf("%s at line %d of a %d-line input", what, line, lines)
		}
	}
	for _, g := range doc.Groups {
		check("group "+g.ID, g.Pos.Line)
		for _, r := range g.Rules {
			check("rule", r.Pos.Line)
		}
	}
	for _, w := range doc.Warnings {
		check("warning "+w.Msg, w.Pos.Line)
	}
	for _, p := range doc.Partial {
		check("partial "+p.Msg, p.Pos.Line)
	}
}
