package parser_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/spec"
)

// TestPeers: port tables of other projects (other columns, other headings,
// footnotes, ragged rows) never panic. The decision: a table whose header
// has Port, Protocol and Purpose columns (in any order, other columns
// ignored with a warning) is read; its unknown heading becomes a group of
// unknown roles (warning); a cell portspec cannot read is an error at the
// cell; a table without those columns is skipped with a warning.
func TestPeers(t *testing.T) {
	want := map[string]string{
		"k8s-website": "model",  // Protocol | Direction | Port Range | Purpose | Used By
		"kubespray":   "errors", // "IPENCAP / IPIP | -" rows
		"rke2-docs":   "errors", // ICMP types "0, 8 *" in the Port column
		"kubekey":     "none",   // Services | Protocol | Action | Start Port | End Port
		"cluster-api": "none",   // Name | Port Number | Description
		"README.md":   "none",
	}
	files := upstream.Glob(t, "peers/*")
	if len(files) != len(want) {
		t.Errorf("%d peer files, the test knows %d", len(files), len(want))
	}
	for _, path := range files {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			outcome := ""
			for k, v := range want {
				if strings.HasPrefix(base, k) {
					outcome = v
				}
			}
			doc, err := parseFile(t, path)
			var list spec.ErrorList
			if err != nil && !errors.As(err, &list) {
				t.Fatalf("error is not a list: %v", err)
			}
			for _, e := range list {
				if e.Pos.Filename != path || e.Pos.Line < 1 || e.Pos.Column < 1 {
					t.Errorf("error without a position in the file: %v", e)
				}
				if strings.Contains(e.Msg, "internal error") {
					t.Errorf("parser panicked: %v", e)
				}
			}
			if doc == nil {
				t.Fatal("no document returned with the errors")
			}
			for _, w := range doc.Warnings {
				if w.Pos.Filename != path || w.Pos.Line < 1 {
					t.Errorf("warning without a position in the file: %v", w)
				}
			}
			switch outcome {
			case "model":
				if err != nil {
					t.Fatalf("want a model, got %v", err)
				}
				if len(doc.Groups) == 0 {
					t.Fatal("model without groups")
				}
				for _, g := range doc.Groups {
					if g.Known || g.From != spec.RoleUnknown || g.Direction != spec.DirectionUnknown {
						t.Errorf("group %s of another project is known or has roles", g.ID)
					}
				}
				if !hasWarning(doc, "not one of the page's known sections") || !hasWarning(doc, "are not read") {
					t.Errorf("want warnings for the unknown headings and ignored columns, got %v", doc.Warnings)
				}
			case "errors":
				if len(list) == 0 {
					t.Fatal("want errors, got a model")
				}
			case "none":
				if len(list) != 1 || !strings.Contains(list[0].Msg, "no port tables found") {
					t.Fatalf("want the one error \"no port tables found\", got %v", err)
				}
				if !hasWarning(doc, "is not a port table") {
					t.Errorf("want a warning for the skipped table, got %v", doc.Warnings)
				}
			default:
				t.Fatalf("no expected outcome for %s", base)
			}
		})
	}
}

func hasWarning(d *spec.Document, sub string) bool {
	for _, w := range d.Warnings {
		if strings.Contains(w.Msg, sub) {
			return true
		}
	}
	return false
}
