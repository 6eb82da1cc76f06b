package report

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// FuzzDocumentText: whatever a purpose or the source name holds, the CSV
// keeps its records and fields and no text field starts a formula, the
// page keeps its structure, the diagram does not change but for its
// header, and the workbook is well-formed XML whose purposes read back
// as the CSV's do.
func FuzzDocumentText(f *testing.F) {
	for _, h := range hostileTexts() {
		f.Add(h, "=1.md")
	}
	for _, h := range xmlHostileTexts() {
		f.Add(h[0], h[0][:min(len(h[0]), 300)])
	}
	base := gentest.Small()
	plainCSV := readCSV(f, render(f, base, CSV, Both))
	plainPage := skeleton(parseHTML(f, render(f, base, HTML, Both)))
	_, plainChart, _ := strings.Cut(string(render(f, base, Mermaid, Both)), "\n")
	plainBook := excelizeView(f, render(f, base, XLSX, Both))
	gentest.FuzzText(f, func(t *testing.T, doc *spec.Document, purpose, source string) {
		recs := readCSV(t, render(t, doc, CSV, Both))
		if len(recs) != len(plainCSV) {
			t.Fatalf("CSV: %d records, want %d", len(recs), len(plainCSV))
		}
		for i, rec := range recs {
			// Not origin (11): FuzzText renames the document but not its
			// rows' file, which makes them another file's.
			for _, c := range []int{0, 1, 2, 3, 4, 5, 6, 7, 9} {
				if rec[c] != plainCSV[i][c] {
					t.Fatalf("CSV record %d field %d is %q, want %q", i, c, rec[c], plainCSV[i][c])
				}
			}
			checkCell(t, "purpose_en", rec[8], "")
			checkCell(t, "source", rec[10], "")
		}
		if d := cmp.Diff(plainPage, skeleton(parseHTML(t, render(t, doc, HTML, Both)))); d != "" {
			t.Fatalf("page structure changed (-plain +fuzzed):\n%s", d)
		}
		if _, chart, _ := strings.Cut(string(render(t, doc, Mermaid, Both)), "\n"); chart != plainChart {
			t.Fatalf("diagram changed:\n%s", chart)
		}
		data := render(t, doc, XLSX, Both)
		files, parts, _ := xlsxEntries(t, data)
		for _, f := range files {
			checkWellFormed(t, f.Name, parts[f.Name])
		}
		book := excelizeView(t, data)
		if got, want := len(book.Sheets[1].Rows), len(plainBook.Sheets[1].Rows); got != want {
			t.Fatalf("workbook: %d ingress rows, want %d", got, want)
		}
		checkIngressPurposes(t, doc, book.Sheets[1].Rows)
	})
}
