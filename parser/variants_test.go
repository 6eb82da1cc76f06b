package parser_test

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"golang.org/x/tools/txtar"
)

// TestByteVariants: a BOM, CRLF line ends and tabs around the pipes change
// nothing in the model of any case that parses, and a BOM does not move
// columns on line 1.
func TestByteVariants(t *testing.T) {
	variants := map[string]func([]byte) []byte{
		"bom":  func(b []byte) []byte { return append([]byte("\ufeff"), b...) },
		"crlf": func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) },
		"tabs": func(b []byte) []byte { return bytes.ReplaceAll(b, []byte(" | "), []byte("\t|\t")) },
	}
	files, _ := filepath.Glob("testdata/cases/*.txtar")
	tested := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		in := ar.Files[0]
		base, err := parser.Parse(in.Name, in.Data, parser.Options{})
		if err != nil {
			continue
		}
		tested++
		for name, f := range variants {
			t.Run(filepath.Base(file)+"/"+name, func(t *testing.T) {
				doc, err := parser.Parse(in.Name, f(bytes.Clone(in.Data)), parser.Options{})
				if err != nil {
					t.Fatalf("variant fails: %v", err)
				}
				if diff := cmp.Diff(summary(base, name != "tabs"), summary(doc, name != "tabs")); diff != "" {
					t.Errorf("variant changes the model (-want +got):\n%s", diff)
				}
			})
		}
	}
	if tested < 5 {
		t.Fatalf("only %d cases parse: the variants test tests little", tested)
	}
}

// summary is the model with positions reduced to line (and column when
// withCol), for comparing variants of one document.
func summary(d *spec.Document, withCol bool) []string {
	var out []string
	pos := func(line, col int) string {
		if withCol {
			return fmt.Sprintf("%d:%d", line, col)
		}
		return fmt.Sprint(line)
	}
	for _, g := range d.Groups {
		out = append(out, fmt.Sprintf("group %s %v %s %v", g.ID, g.Known, pos(g.Pos.Line, g.Pos.Column), g.Titles))
		for _, r := range g.Rules {
			out = append(out, fmt.Sprintf("  %s %s %s %v", r.Protocol, spec.FormatPorts(r.Ports), pos(r.Pos.Line, r.Pos.Column), r.Purposes))
		}
	}
	for _, w := range d.Warnings {
		out = append(out, "warning "+pos(w.Pos.Line, w.Pos.Column)+" "+w.Msg)
	}
	return out
}

// TestNotText: binary input, invalid UTF-8 and NUL bytes are one clear
// error each, with a position.
func TestNotText(t *testing.T) {
	for name, tc := range map[string]struct {
		src  []byte
		want string
	}{
		"nul":          {[]byte("## Title\n\x00\x01\x02"), "x:2:1: NUL byte"},
		"invalid utf8": {[]byte("## Title\n| Port |\xff\xfe"), "x:2:9: invalid UTF-8 (byte 0xff)"},
		"png header":   {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "x:1:1: invalid UTF-8 (byte 0x89)"},
		"empty":        {nil, "x:1:1: document is empty"},
		"bom only":     {[]byte("\ufeff\n\n"), "x:1:1: document is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, kind := range []parser.Kind{parser.KindAuto, parser.KindMarkdown, parser.KindData} {
				_, err := parser.Parse("x", tc.src, parser.Options{Kind: kind})
				var list spec.ErrorList
				if !errors.As(err, &list) || len(list) != 1 || !strings.HasPrefix(list[0].Error(), tc.want) {
					t.Errorf("kind %s: err = %v, want one error starting %q", kind, err, tc.want)
				}
			}
		})
	}
}

// TestLargeInput: a 20 MB document (many rows) is read whole, and a 20 MB
// line of garbage is an error, not a hang or a panic.
func TestLargeInput(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	src := generateDoc(330_000)
	if len(src) < 20<<20 {
		t.Fatalf("generated %d bytes, want at least 20 MB", len(src))
	}
	doc, err := parser.Parse("big.md", src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.RuleCount(); got != 330_000 {
		t.Errorf("%d rules, want 330000", got)
	}
	garbage := bytes.Repeat([]byte("|x"), 10<<20)
	if _, err := parser.Parse("garbage.md", garbage, parser.Options{}); err == nil {
		t.Error("20 MB of pipes parsed without error")
	}
}

// TestKindDetection: --kind auto tells data from markdown by name or by a
// top-level `groups:` line, HTML by name or by a start as HTML, a text copy
// by a header line of tabs or spaces without any pipe table; a forced kind
// wins.
func TestKindDetection(t *testing.T) {
	data := []byte("groups:\n- group: NodesToNodes\n  destinations:\n  - ports: \"1\"\n    protocol: TCP\n    description: {en: x}\n")
	md := []byte("## Nodes to nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 1 | TCP | x |\n")
	html := []byte("<!DOCTYPE html>\n<h2>Nodes to nodes traffic</h2><table><thead><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr></thead><tbody><tr><td>1</td><td>TCP</td><td>x</td></tr></tbody></table>")
	tsv := []byte("Nodes to nodes traffic\nPort\tProtocol\tPurpose\n1\tTCP\tx\n")
	aligned := []byte("Nodes to nodes traffic\n\n  Port   Protocol   Purpose\n  1      TCP        x\n")
	for _, tc := range []struct {
		name string
		src  []byte
		kind parser.Kind
		want string
	}{
		{"doc.txt", data, parser.KindAuto, "data"},
		{"-", data, "", "data"},
		{"doc.yml", md, parser.KindMarkdown, "markdown"},
		{"doc.md", md, parser.KindAuto, "markdown"},
		{"doc.md", data, parser.KindData, "data"},
		{"page.html", html, parser.KindAuto, "html"},
		{"saved-as.yml", html, parser.KindAuto, "html"},
		{"https://x.example/page.html?v=1#ru", html, parser.KindAuto, "html"},
		{"-", html, parser.KindAuto, "html"},
		{"saved.txt", []byte("  <!-- saved -->\n<TABLE><caption>Traffic between nodes<tr><th>Port<th>Protocol<th>Purpose<tr><td>1<td>TCP<td>x</table>"), parser.KindAuto, "html"},
		{"-", tsv, parser.KindAuto, "text"},
		{"-", aligned, parser.KindAuto, "text"},
		{"doc.md", tsv, parser.KindText, "text"},
	} {
		doc, err := parser.Parse(tc.name, tc.src, parser.Options{Kind: tc.kind})
		if err != nil {
			t.Errorf("%s kind %q: %v", tc.name, tc.kind, err)
			continue
		}
		if doc.Kind != tc.want || doc.RuleCount() != 1 {
			t.Errorf("%s kind %q: kind %s with %d rules, want %s with 1", tc.name, tc.kind, doc.Kind, doc.RuleCount(), tc.want)
		}
	}
	if _, err := parser.ParseKind("pdf"); err == nil {
		t.Error(`ParseKind("pdf") accepted`)
	}
	for _, k := range []string{"html", "text", "markdown", "data", "auto", ""} {
		if _, err := parser.ParseKind(k); err != nil {
			t.Errorf("ParseKind(%q): %v", k, err)
		}
	}
	// Data read as markdown is not silently empty.
	if _, err := parser.Parse("doc.txt", data, parser.Options{Kind: parser.KindMarkdown}); err == nil {
		t.Error("data forced to markdown parsed without error")
	}
}

// TestParseConcurrent: Parse may be called from many goroutines at once (it
// shares one goldmark parser); run with -race to check.
func TestParseConcurrent(t *testing.T) {
	want, err := parser.Parse("d", spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan []spec.Flow)
	for range 8 {
		go func() {
			doc, err := parser.Parse("d", spec.Default(), parser.Options{})
			if err != nil {
				done <- nil
				return
			}
			done <- doc.Flows()
		}()
	}
	for range 8 {
		if diff := cmp.Diff(want.Flows(), <-done); diff != "" {
			t.Errorf("concurrent parse differs (-want +got):\n%s", diff)
		}
	}
}
