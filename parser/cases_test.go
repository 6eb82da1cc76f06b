package parser_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/golden"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"golang.org/x/tools/txtar"
)

// TestCases runs every testdata/cases/*.txtar: a small document of our own
// making, one per quirk of the real inputs, parsed and printed (model,
// warnings, errors) and compared with the archive's "want" file.
func TestCases(t *testing.T) {
	eachArchive(t, "testdata/cases/*.txtar", func(t *testing.T, file string, ar *txtar.Archive) {
		var input *txtar.File
		for i := range ar.Files {
			if strings.HasPrefix(ar.Files[i].Name, "input.") {
				input = &ar.Files[i]
			}
		}
		if input == nil {
			t.Fatal("archive has no input.* file")
		}
		doc, perr := parser.Parse(input.Name, input.Data, parser.Options{})
		// The archive as it should be: everything but "want" kept, the
		// rendered result as "want" (added last if missing).
		var files []txtar.File
		for _, f := range ar.Files {
			if f.Name != "want" {
				files = append(files, f)
			}
		}
		files = append(files, txtar.File{Name: "want", Data: []byte(render(doc, perr))})
		golden.Check(t, file, string(ar.Comment), files)
	})
}

// eachArchive runs f on every txtar archive the pattern matches, each in a
// subtest named after the file.
func eachArchive(t *testing.T, pattern string, f func(t *testing.T, file string, ar *txtar.Archive)) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f(t, file, ar)
		})
	}
}

// render prints a parse result for a person: the model (groups, rules,
// purposes per language, positions), then warnings, then errors.
func render(doc *spec.Document, err error) string {
	var b strings.Builder
	if doc != nil && err == nil {
		fmt.Fprintf(&b, "kind %s, languages %v\n", doc.Kind, doc.Languages)
		for _, g := range doc.Groups {
			known := "known"
			if !g.Known {
				known = "unknown"
			}
			fmt.Fprintf(&b, "group %s (%s, %s->%s %s) at %s\n", g.ID, known, g.From, g.To, g.Direction, g.Pos)
			for _, l := range sortedKeys(g.Titles) {
				fmt.Fprintf(&b, "  title %s: %s\n", l, g.Titles[l])
			}
			for _, r := range g.Rules {
				ports := spec.FormatPorts(r.Ports)
				if ports == "" {
					ports = "-"
				}
				fmt.Fprintf(&b, "  %s %s at %s\n", r.Protocol, ports, r.Pos)
				for l, p := range r.Purposes.All() { // ordered by language
					fmt.Fprintf(&b, "    %s text: %s\n", l, p.Text)
					if p.Markdown != p.Text {
						fmt.Fprintf(&b, "    %s markdown: %q\n", l, p.Markdown)
					}
				}
			}
		}
	}
	if doc != nil {
		for _, w := range doc.Warnings {
			fmt.Fprintf(&b, "warning: %s\n", w)
		}
	}
	if err != nil {
		var list spec.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				fmt.Fprintf(&b, "error: %s\n", e)
			}
		} else {
			fmt.Fprintf(&b, "error (not a list): %v\n", err)
		}
	}
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
