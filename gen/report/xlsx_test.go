package report

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/portspec/portspec/spec"
)

// A workbook as a reader sees it: excelize here, openpyxl in the system
// test (system_test.go), both checked against the model by checkWorkbook.

type sheetView struct {
	Title  string
	Freeze string             // the top-left cell below and right of the frozen panes
	Filter string             // the autofilter's range, "" for none, "?" when the reader does not say
	Widths map[string]float64 // column letter → width; nil when the reader does not say
	Rows   [][]cellView
}

type cellView struct {
	V string // the value as text ("" for an empty cell)
	T string // "s" string, "n" number, "f" formula, "" empty, or the reader's own type
}

func excelizeView(t *testing.T, data []byte) []sheetView {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []sheetView
	for _, name := range f.GetSheetList() {
		s := sheetView{Title: name, Filter: "?"}
		if p, err := f.GetPanes(name); err == nil && p.Freeze {
			s.Freeze = p.TopLeftCell
		}
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			var cells []cellView
			for ci, v := range row {
				ref, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				c := cellView{V: v}
				if formula, _ := f.GetCellFormula(name, ref); formula != "" {
					c.T = "f"
				} else if typ, _ := f.GetCellType(name, ref); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					c.T = "s"
				} else if v != "" {
					c.T = "n"
				}
				cells = append(cells, c)
			}
			s.Rows = append(s.Rows, cells)
		}
		out = append(out, s)
	}
	return out
}

// The names people read, as this test expects them (not taken from the
// report's own labels).
var (
	wantSheets = map[Lang][]string{
		English: {"Matrix", "Ingress", "Egress", "Source"},
		Russian: {"Матрица", "Входящий", "Исходящий", "Источник"},
		Both:    {"Matrix · Матрица", "Ingress · Входящий", "Egress · Исходящий", "Source · Источник"},
	}
	wantRoleNames = map[spec.Role][2]string{
		spec.RoleMaster: {"master nodes", "master-узлы"}, spec.RoleNode: {"nodes", "узлы"},
		spec.RoleFrontend: {"frontend nodes", "frontend-узлы"}, spec.RoleExternal: {"outside world", "внешний мир"},
	}
)

func wantRole(r spec.Role, l Lang) string {
	n := wantRoleNames[r]
	switch l {
	case Russian:
		return n[1]
	case Both:
		return n[0] + " / " + n[1]
	}
	return n[0]
}

func cellAt(rows [][]cellView, r, c int) cellView {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return cellView{}
}

// portSet parses a matrix cell ("TCP 2379-2380, 4223\nICMP") into the
// ports it covers per protocol, "TCP/2379"; ICMP as "ICMP/0".
func portSet(t *testing.T, cell string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(cell, "\n") {
		if line == "" {
			continue
		}
		proto, list, _ := strings.Cut(line, " ")
		if list == "" {
			out = append(out, proto+"/0")
			continue
		}
		for _, r := range strings.Split(list, ", ") {
			a, b, ok := strings.Cut(r, "-")
			if !ok {
				b = a
			}
			first, err1 := strconv.Atoi(a)
			last, err2 := strconv.Atoi(b)
			if err1 != nil || err2 != nil {
				t.Fatalf("matrix cell %q: %q is not a port range", cell, r)
			}
			for p := first; p <= last; p++ {
				out = append(out, fmt.Sprintf("%s/%d", proto, p))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// wantPorts is what the model's flows from one role to another cover.
func wantPorts(doc *spec.Document, from, to spec.Role) []string {
	var out []string
	for _, f := range doc.Flows() {
		if f.From != from || f.To != to {
			continue
		}
		for p := int(f.Ports.First); p <= int(f.Ports.Last); p++ {
			out = append(out, fmt.Sprintf("%s/%d", f.Protocol, p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// checkWorkbook compares a workbook read back with the model: its sheets,
// the matrix's cells (the ports each covers), every flow row, no formula,
// and (when the reader says) frozen panes, filters and widths.
func checkWorkbook(t *testing.T, doc *spec.Document, lang Lang, sheets []sheetView) {
	t.Helper()
	var titles []string
	for _, s := range sheets {
		titles = append(titles, s.Title)
		for ri, row := range s.Rows {
			for ci, c := range row {
				if c.T == "f" {
					t.Errorf("%s row %d column %d is a formula: %q", s.Title, ri+1, ci+1, c.V)
				}
			}
		}
		if s.Widths != nil {
			for ci := range s.Rows[0] {
				col, _ := excelize.ColumnNumberToName(ci + 1)
				if s.Widths[col] == 0 {
					t.Errorf("%s: column %s has no width", s.Title, col)
				}
			}
		}
	}
	if d := cmp.Diff(wantSheets[lang], titles); d != "" {
		t.Fatalf("sheets (-want +got):\n%s", d)
	}

	m := sheets[0]
	if m.Freeze != "B2" {
		t.Errorf("matrix: frozen at %q, want B2 (the header row and the roles' column)", m.Freeze)
	}
	for j, from := range spec.Roles() {
		if got := cellAt(m.Rows, j+1, 0).V; got != wantRole(from, lang) {
			t.Errorf("matrix row %d is %q, want %q", j+2, got, wantRole(from, lang))
		}
		for i, to := range spec.Roles() {
			if j == 0 && cellAt(m.Rows, 0, i+1).V != wantRole(to, lang) {
				t.Errorf("matrix column %d is %q, want %q", i+2, cellAt(m.Rows, 0, i+1).V, wantRole(to, lang))
			}
			if d := cmp.Diff(wantPorts(doc, from, to), portSet(t, cellAt(m.Rows, j+1, i+1).V)); d != "" {
				t.Errorf("matrix %s → %s vs the model's flows (-model +sheet):\n%s", from, to, d)
			}
		}
	}

	for si, dir := range []spec.Direction{spec.Ingress, spec.Egress} {
		s := sheets[si+1]
		var want [][]string
		origin := map[Lang]string{English: "document", Russian: "документ", Both: "document / документ"}[lang]
		for _, m := range modelRows(doc, dir) {
			first, last := m.firstLast()
			want = append(want, []string{wantRole(m.g.From, lang), wantRole(m.g.To, lang), m.r.Protocol.String(), first, last,
				spec.FormatPorts(m.r.Ports), m.g.ID, wantCell(m.r.Purposes.In("en").Text), wantCell(m.r.Purposes.In("ru").Text), m.r.Pos.String(), origin})
		}
		var got [][]string
		for ri := range s.Rows[1:] {
			var vals []string
			for ci := range 11 {
				c := cellAt(s.Rows, ri+1, ci)
				vals = append(vals, c.V)
				if (ci == 3 || ci == 4) && c.V != "" && c.T != "n" {
					t.Errorf("%s row %d: port %q is not a number (%s)", s.Title, ri+2, c.V, c.T)
				}
			}
			got = append(got, vals)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s vs the model's rows (-model +sheet):\n%s", s.Title, d)
		}
		if s.Freeze != "A2" {
			t.Errorf("%s: frozen at %q, want A2 (the header row)", s.Title, s.Freeze)
		}
		if wantFilter := fmt.Sprintf("A1:K%d", len(s.Rows)); s.Filter != "?" && s.Filter != wantFilter {
			t.Errorf("%s: filter %q, want %q", s.Title, s.Filter, wantFilter)
		}
	}
	about := sheets[3]
	if cellAt(about.Rows, 1, 1).V != doc.Source || cellAt(about.Rows, 2, 1).V != doc.SHA256 {
		t.Errorf("source sheet: %v, want the source %q and its digest", about.Rows, doc.Source)
	}
}

func TestWorkbook(t *testing.T) {
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t)} {
		for _, l := range []Lang{English, Russian, Both} {
			t.Run(name+"/"+string(l), func(t *testing.T) {
				checkWorkbook(t, doc, l, excelizeView(t, render(t, doc, XLSX, l)))
			})
		}
	}
}
