package targets

import (
	"bytes"
	"go/scanner"
	"go/token"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// forged is text that, written raw, would start a line of its own (a YAML
// key, a Go directive), colour the terminal that shows the file, and make
// the line display otherwise than it reads.
const forged = "x\nforged: 1\r\n//go:generate rm -rf /\u2028forged: 2\x1b[2J\x1b]0;title\x07 \u202eevil\u2066 \x00"

// TestHostileTextInEveryTarget: group ids, titles, purposes and the source
// name holding new lines, terminal escapes, NUL and bidirectional controls
// reach no output of these targets raw: no control character but the line
// end and tab, no bidi control, no line that the document's text starts.
// (The host-firewall targets, gen/ansible and gen/nftables, are checked in
// their own packages.)
func TestHostileTextInEveryTarget(t *testing.T) {
	doc := gentest.Small()
	doc.Source = "src" + forged + ".md"
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		g.ID += forged // still Known: a model built by hand may hold any id
		g.Titles = map[string]string{"en": "title" + forged}
		for ri := range g.Rules {
			g.Rules[ri].Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "metrics" + forged, Markdown: "metrics" + forged}})
		}
	}
	for _, g := range portTargets() {
		out, err := g.Generate(gen.Request{Doc: doc, Dir: "ports", Options: targetOptions(g), Clients: clients.New(nil)})
		if err != nil {
			t.Fatalf("%s: %v", g.Name(), err)
		}
		for _, f := range out.Files {
			checkInert(t, g.Name()+"/"+f.Path, f.Data)
		}
	}
}

func checkInert(t *testing.T, name string, data []byte) {
	t.Helper()
	if !utf8.Valid(data) {
		t.Errorf("%s: invalid UTF-8", name)
	}
	for i, line := range bytes.Split(data, []byte("\n")) {
		s := strings.TrimRight(string(line), "\r")
		for _, r := range s {
			if (unicode.IsControl(r) && r != '\t') || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
				t.Errorf("%s:%d: raw %U in %q", name, i+1, r, s)
				break
			}
		}
	}
	switch {
	case strings.HasSuffix(name, ".go"):
		var sc scanner.Scanner
		fset := token.NewFileSet()
		sc.Init(fset.AddFile(name, -1, len(data)), data, func(pos token.Position, msg string) { t.Errorf("%s: %s", pos, msg) }, scanner.ScanComments)
		for {
			pos, tok, lit := sc.Scan()
			if tok == token.EOF {
				break
			}
			if tok == token.COMMENT && strings.HasPrefix(lit, "//go:") {
				t.Errorf("%s: a directive from the document's text: %q", fset.Position(pos), lit)
			}
		}
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("%s: does not decode: %v", name, err)
				break
			}
			walkKeys(&n, func(k string) {
				if strings.Contains(k, "forged") {
					t.Errorf("%s: a key from the document's text: %q", name, k)
				}
			})
		}
	}
}

// walkKeys calls f with every mapping key under n.
func walkKeys(n *yaml.Node, f func(string)) {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			f(n.Content[i].Value)
		}
	}
	for _, c := range n.Content {
		walkKeys(c, f)
	}
}
