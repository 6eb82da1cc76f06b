package parser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/golden"
	"github.com/portspec/portspec/parser"
	"golang.org/x/tools/txtar"
)

// TestForms runs every testdata/forms/*.txtar: a small input of our own
// making for each quirk of the forms users hold the page in (the site's
// HTML, a browser's tab-separated copy, space-aligned text) and of the
// structures markdown drops without a word, parsed and printed as
// TestCases prints (model, warnings, errors) with the reasons the input
// looks cut short ("partial:") and the detected kind.
func TestForms(t *testing.T) {
	eachArchive(t, "testdata/forms/*.txtar", func(t *testing.T, file string, ar *txtar.Archive) {
		var out []txtar.File
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "want") {
				out = append(out, f)
			}
		}
		for _, f := range ar.Files {
			if !strings.HasPrefix(f.Name, "input") {
				continue
			}
			doc, perr := parser.Parse(f.Name, f.Data, parser.Options{})
			var b strings.Builder
			if doc != nil {
				fmt.Fprintf(&b, "detected %s\n", doc.Kind)
			}
			b.WriteString(render(doc, perr))
			if doc != nil {
				for _, p := range doc.Partial {
					fmt.Fprintf(&b, "partial: %s\n", p)
				}
			}
			out = append(out, txtar.File{Name: "want" + strings.TrimPrefix(f.Name, "input"), Data: []byte(b.String())})
		}
		golden.Check(t, file, string(ar.Comment), out)
	})
}
