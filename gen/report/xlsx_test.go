package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"go/build"
	"io"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// A workbook as a reader sees it: excelize here, openpyxl in the system
// test (system_test.go), both checked against the model by checkWorkbook.

type bookView struct {
	Props  propsView
	Sheets []sheetView
}

// propsView are the document properties (docProps/core.xml).
type propsView struct {
	Title, Creator, Description, Language, Created, Modified string
}

type sheetView struct {
	Title   string
	Freeze  string             // the top-left cell below and right of the frozen panes
	Filter  string             // the autofilter's range, "" for none
	Widths  map[string]float64 // column letter → width
	Heights map[string]float64 // row number → height, of the rows that have one
	Rows    [][]cellView       // every row as wide as the sheet's widest
}

type cellView struct {
	V string // the value as text ("" for an empty cell)
	T string // "s" string, "n" number, "f" formula, "" empty, or the reader's own type
	// The cell's format: bold, the colour of a solid fill (RRGGBB, ""
	// for none), wrapped, the vertical alignment ("" for the default).
	Bold   bool
	Fill   string
	Wrap   bool
	VAlign string
}

func excelizeView(t testing.TB, data []byte) bookView {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out bookView
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	out.Props = propsView{Title: props.Title, Creator: props.Creator, Description: props.Description,
		Language: props.Language, Created: props.Created, Modified: props.Modified}
	filters := map[string]string{}
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			_, ref, _ := strings.Cut(n.RefersTo, "!")
			filters[n.Scope] = strings.ReplaceAll(ref, "$", "")
		}
	}
	for _, name := range f.GetSheetList() {
		s := sheetView{Title: name, Filter: filters[name], Widths: map[string]float64{}, Heights: map[string]float64{}}
		if p, err := f.GetPanes(name); err == nil && p.Freeze {
			s.Freeze = p.TopLeftCell
		}
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		width := 0
		for _, row := range rows {
			width = max(width, len(row))
		}
		for ci := range width {
			col, _ := excelize.ColumnNumberToName(ci + 1)
			if w, err := f.GetColWidth(name, col); err == nil {
				s.Widths[col] = w
			}
		}
		for ri, row := range rows {
			if h, err := f.GetRowHeight(name, ri+1); err == nil {
				s.Heights[strconv.Itoa(ri+1)] = h
			}
			var cells []cellView
			for ci := range width {
				ref, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				c := cellView{}
				if ci < len(row) {
					c.V = row[ci]
				}
				if formula, _ := f.GetCellFormula(name, ref); formula != "" {
					c.T = "f"
				} else if typ, _ := f.GetCellType(name, ref); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
					c.T = "s"
				} else if c.V != "" {
					c.T = "n"
				}
				idx, err := f.GetCellStyle(name, ref)
				if err != nil {
					t.Fatal(err)
				}
				st, err := f.GetStyle(idx)
				if err != nil {
					t.Fatal(err)
				}
				c.Bold = st.Font != nil && st.Font.Bold
				if st.Fill.Type == "pattern" && st.Fill.Pattern == 1 {
					// GetStyle names a fill's colour only when the workbook
					// has a theme (which spreadsheets do not need): the
					// colour as excelize read it from styles.xml.
					if xf := f.Styles.CellXfs.Xf[idx]; xf.FillID != nil {
						if pf := f.Styles.Fills.Fill[*xf.FillID].PatternFill; pf != nil && pf.FgColor != nil {
							c.Fill = strings.ToUpper(pf.FgColor.RGB)
						}
					}
				}
				if st.Alignment != nil {
					c.Wrap, c.VAlign = st.Alignment.WrapText, st.Alignment.Vertical
				}
				cells = append(cells, c)
			}
			s.Rows = append(s.Rows, cells)
		}
		out.Sheets = append(out.Sheets, s)
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

// The formats a cell may have, as a reader reports them.
var (
	headFormat = cellView{Bold: true, Fill: "DDE6F0", Wrap: true, VAlign: "top"} // header cells
	wrapFormat = cellView{Wrap: true, VAlign: "top"}                             // text that may be long
	noFormat   = cellView{}
)

// formatOf is a cell's format alone.
func formatOf(c cellView) cellView {
	return cellView{Bold: c.Bold, Fill: strings.TrimPrefix(c.Fill, "FF"), Wrap: c.Wrap, VAlign: c.VAlign}
}

// The widths of the sheets' columns, and the document properties, as this
// test expects them.
var (
	wantFlowWidths  = []float64{18, 18, 10, 11, 11, 16, 22, 60, 60, 40, 12}
	wantAboutWidths = []float64{36, 90}
	wantTitles      = map[Lang]string{
		English: "Network interaction: the ports between the cluster's nodes",
		Russian: "Сетевое взаимодействие: порты между узлами кластера",
		Both:    "Network interaction: the ports between the cluster's nodes / Сетевое взаимодействие: порты между узлами кластера",
	}
	wantLanguages = map[Lang]string{English: "en", Russian: "ru", Both: "en, ru"}
)

// checkFormats wants every cell of a sheet in the format format(row,
// column) gives (from 0), and the columns' widths.
func checkFormats(t *testing.T, s sheetView, widths []float64, format func(r, c int) cellView) {
	t.Helper()
	for ri, row := range s.Rows {
		if len(row) != len(widths) {
			t.Errorf("%s row %d has %d columns, want %d", s.Title, ri+1, len(row), len(widths))
		}
		for ci, c := range row {
			if got, want := formatOf(c), format(ri, ci); got != want {
				t.Errorf("%s row %d column %d is formatted %+v, want %+v", s.Title, ri+1, ci+1, got, want)
			}
		}
	}
	for ci, w := range widths {
		col, _ := excelize.ColumnNumberToName(ci + 1)
		if s.Widths[col] != w {
			t.Errorf("%s: column %s is %g wide, want %g", s.Title, col, s.Widths[col], w)
		}
	}
}

// checkWorkbook compares a workbook read back with the model: its sheets,
// the matrix's cells (the ports each covers), every flow row, no formula,
// frozen panes, filters, widths, the matrix's row heights, every cell's
// format and the document properties.
func checkWorkbook(t *testing.T, doc *spec.Document, lang Lang, book bookView) {
	t.Helper()
	sheets := book.Sheets
	wantProps := propsView{Title: wantTitles[lang], Creator: "portspec", Description: gen.HeaderText(doc),
		Language: wantLanguages[lang], Created: "1980-01-01T00:00:00Z", Modified: "1980-01-01T00:00:00Z"}
	if d := cmp.Diff(wantProps, book.Props); d != "" {
		t.Errorf("document properties (-want +got):\n%s", d)
	}
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
		for ci := range s.Rows[0] {
			col, _ := excelize.ColumnNumberToName(ci + 1)
			if s.Widths[col] == 0 {
				t.Errorf("%s: column %s has no width", s.Title, col)
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
	if m.Filter != "" {
		t.Errorf("matrix: filter %q, want none", m.Filter)
	}
	if len(m.Rows) != len(spec.Roles())+1 {
		t.Errorf("matrix: %d rows, want %d", len(m.Rows), len(spec.Roles())+1)
	}
	matrixWidths := []float64{24}
	for range spec.Roles() {
		matrixWidths = append(matrixWidths, 50)
	}
	checkFormats(t, m, matrixWidths, func(r, c int) cellView {
		if r == 0 || c == 0 {
			return headFormat
		}
		return wrapFormat
	})
	for ri, row := range m.Rows[1:] {
		// Each row is tall enough for the lines of its fullest cell.
		lines := 1
		for _, c := range row {
			lines = max(lines, strings.Count(c.V, "\n")+1)
		}
		if h := m.Heights[strconv.Itoa(ri+2)]; h < float64(min(15*lines, 409)) {
			t.Errorf("matrix row %d is %g high, want at least %d for %d lines", ri+2, h, 15*lines, lines)
		}
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
				if ci != 3 && ci != 4 && c.V != "" && c.T != "s" {
					t.Errorf("%s row %d column %d: %q is not a string (%s)", s.Title, ri+2, ci+1, c.V, c.T)
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
		if wantFilter := fmt.Sprintf("A1:K%d", len(want)+1); s.Filter != wantFilter {
			t.Errorf("%s: filter %q, want %q", s.Title, s.Filter, wantFilter)
		}
		checkFormats(t, s, wantFlowWidths, func(r, c int) cellView {
			switch {
			case r == 0:
				return headFormat
			case c == 7 || c == 8: // the purposes
				return wrapFormat
			}
			return noFormat
		})
	}
	about := sheets[3]
	if cellAt(about.Rows, 1, 1).V != doc.Source || cellAt(about.Rows, 2, 1).V != doc.SHA256 {
		t.Errorf("source sheet: %v, want the source %q and its digest", about.Rows, doc.Source)
	}
	if about.Freeze != "A2" || about.Filter != "" {
		t.Errorf("source sheet: frozen at %q, filter %q; want A2 and none", about.Freeze, about.Filter)
	}
	checkFormats(t, about, wantAboutWidths, func(r, c int) cellView {
		if r == 0 {
			return headFormat
		}
		return wrapFormat
	})
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

// xlsxEntries reads a workbook's archive: its entries in order, and its
// comment.
func xlsxEntries(t testing.TB, data []byte) ([]*zip.File, map[string][]byte, string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("the workbook is not a ZIP archive: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		parts[f.Name] = b
	}
	return zr.File, parts, zr.Comment
}

// checkWellFormed wants a part to be one well-formed XML 1.0 document
// (encoding/xml's strict decoder: every character allowed, every entity
// known, every element closed), in UTF-8 as its declaration says.
func checkWellFormed(t testing.TB, name string, data []byte) {
	t.Helper()
	if !utf8.Valid(data) {
		t.Errorf("%s is not valid UTF-8", name)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
			return
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.ProcInst:
			if tok.Target == "xml" && !bytes.Contains(tok.Inst, []byte(`encoding="UTF-8"`)) {
				t.Errorf("%s: declaration %q", name, tok.Inst)
			}
		}
	}
	if roots != 1 || depth != 0 {
		t.Errorf("%s has %d root elements (depth %d at its end)", name, roots, depth)
	}
}

// rels reads a relationships part: Id → target, resolved against the
// folder of the part the relationships are of.
func rels(t testing.TB, name string, data []byte) map[string]string {
	t.Helper()
	var r struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	base := path.Dir(path.Dir(name)) // xl/_rels/workbook.xml.rels → xl
	out := map[string]string{}
	for _, rel := range r.Rel {
		target := rel.Target
		if strings.HasPrefix(target, "/") {
			target = target[1:]
		} else {
			target = path.Join(base, target)
		}
		if _, dup := out[rel.ID]; dup {
			t.Errorf("%s: relationship %s twice", name, rel.ID)
		}
		out[rel.ID] = target
	}
	return out
}

// TestWorkbookArchive: the workbook's archive as a package: every entry
// stored with the fixed time, [Content_Types].xml first, the header as
// the comment; every part well-formed XML with a content type; every
// relationship's target in the archive; and the workbook's sheets are the
// worksheets its relationships name.
func TestWorkbookArchive(t *testing.T) {
	_, hostile := hostilePair()
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t), "hostile": hostile, "xml": xmlHostileDoc()} {
		t.Run(name, func(t *testing.T) {
			files, parts, comment := xlsxEntries(t, render(t, doc, XLSX, Both))
			if comment != gen.ZipComment(doc) {
				t.Errorf("archive comment %q, want the header %q", comment, gen.ZipComment(doc))
			}
			if files[0].Name != "[Content_Types].xml" {
				t.Errorf("first entry %s, want [Content_Types].xml", files[0].Name)
			}
			want1980 := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, f := range files {
				if f.Method != zip.Store || !f.Modified.Equal(want1980) {
					t.Errorf("%s: method %d, time %v; want stored, 1980-01-01", f.Name, f.Method, f.Modified)
				}
				checkWellFormed(t, f.Name, parts[f.Name])
			}
			var types struct {
				Default []struct {
					Extension string `xml:",attr"`
				}
				Override []struct {
					PartName    string `xml:",attr"`
					ContentType string `xml:",attr"`
				}
			}
			if err := xml.Unmarshal(parts["[Content_Types].xml"], &types); err != nil {
				t.Fatal(err)
			}
			typed := map[string]string{}
			for _, o := range types.Override {
				if _, ok := parts[strings.TrimPrefix(o.PartName, "/")]; !ok {
					t.Errorf("content type for %s, which the archive lacks", o.PartName)
				}
				typed[strings.TrimPrefix(o.PartName, "/")] = o.ContentType
			}
			for name := range parts {
				if _, ok := typed[name]; !ok && !strings.HasSuffix(name, ".rels") && name != "[Content_Types].xml" {
					t.Errorf("%s has no content type of its own", name)
				}
			}
			pkg := rels(t, "_rels/.rels", parts["_rels/.rels"])
			wbRels := rels(t, "xl/_rels/workbook.xml.rels", parts["xl/_rels/workbook.xml.rels"])
			for _, r := range []map[string]string{pkg, wbRels} {
				for id, target := range r {
					if _, ok := parts[target]; !ok {
						t.Errorf("relationship %s to %s, which the archive lacks", id, target)
					}
				}
			}
			if !slices.Contains(slices.Collect(maps.Values(pkg)), "xl/workbook.xml") || typed["xl/workbook.xml"] != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" {
				t.Errorf("the package names no workbook: %v, %v", pkg, typed)
			}
			var wb struct {
				Sheets []struct {
					Name string `xml:"name,attr"`
					RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
				} `xml:"sheets>sheet"`
			}
			if err := xml.Unmarshal(parts["xl/workbook.xml"], &wb); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range wb.Sheets {
				names = append(names, s.Name)
				if typed[wbRels[s.RID]] != "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" {
					t.Errorf("sheet %q is %s (%q), not a worksheet", s.Name, wbRels[s.RID], typed[wbRels[s.RID]])
				}
			}
			if d := cmp.Diff(wantSheets[Both], names); d != "" {
				t.Errorf("the workbook's sheets (-want +got):\n%s", d)
			}
			// The flow sheets' own filters (the workbook's names of them
			// are what excelize reports, in TestWorkbook).
			book := excelizeView(t, render(t, doc, XLSX, Both))
			for i, s := range wb.Sheets {
				var ws struct {
					AutoFilter *struct {
						Ref string `xml:"ref,attr"`
					} `xml:"autoFilter"`
				}
				if err := xml.Unmarshal(parts[wbRels[s.RID]], &ws); err != nil {
					t.Fatal(err)
				}
				want := ""
				if i == 1 || i == 2 {
					want = fmt.Sprintf("A1:K%d", len(book.Sheets[i].Rows))
				}
				got := ""
				if ws.AutoFilter != nil {
					got = ws.AutoFilter.Ref
				}
				if got != want {
					t.Errorf("sheet %q: autoFilter %q, want %q", s.Name, got, want)
				}
			}
		})
	}
}

// xmlHostileDoc is a small document whose purposes and source try to
// break the workbook's XML and its cells: markup, CDATA ends, entities,
// invalid UTF-8, characters XML 1.0 forbids (C0 controls, U+FFFE, U+FFFF),
// SpreadsheetML's own "_xHHHH_" escapes, a character outside the BMP and
// texts longer than a cell holds.
func xmlHostileDoc() *spec.Document {
	doc := gentest.Small()
	doc.Source = "src\uFFFE<&>\".md"
	doc.Languages = []string{"en", "r\x01u\uFFFF"}
	texts := xmlHostileTexts()
	i := 0
	for gi := range doc.Groups {
		for ri := range doc.Groups[gi].Rules {
			r := &doc.Groups[gi].Rules[ri]
			r.Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: texts[i%len(texts)][0]}, "ru": {Text: texts[(i+1)%len(texts)][0]}})
			r.Pos.Filename = doc.Source
			i++
		}
	}
	return doc
}

// xmlHostileTexts are texts and how a spreadsheet must read them back.
func xmlHostileTexts() [][2]string {
	music := "\U0001D11E" // 𝄞, two UTF-16 units
	return [][2]string{
		{"a < b > c & d \" e ' f", "a < b > c & d \" e ' f"},
		{"]]> <![CDATA[x]]> <!-- c --> &amp; &#x41; &bogus;", "]]> <![CDATA[x]]> <!-- c --> &amp; &#x41; &bogus;"},
		{"_x000A_ not a line break, _x0041_ not A", "_x000A_ not a line break, _x0041_ not A"},
		{"_x005F_x0041_ and _x005f_ and _X0041_ and _x12345_ and _x", "_x005F_x0041_ and _x005f_ and _X0041_ and _x12345_ and _x"},
		// LibreOffice reads "_x1_" and "_x12_" as U+0001 and U+0012 too.
		{"_x1_ _x12_ _x123_ _x41_x0042_ _xG1_ _x_ __x1__", "_x1_ _x12_ _x123_ _x41_x0042_ _xG1_ _x_ __x1__"},
		{"bad \xff\xfe utf-8 \xed\xa0\x80 surrogate", "bad \uFFFD\uFFFD utf-8 \uFFFD\uFFFD\uFFFD surrogate"},
		{"nonchars \uFFFE\uFFFF end", "nonchars \uFFFD\uFFFD end"},
		{"music " + music + " <" + music + ">", "music " + music + " <" + music + ">"},
		// 8,191 × 4 + 2 units fit; the next 𝄞 would be the 32,768th.
		{strings.Repeat("ab"+music, 20000), strings.Repeat("ab"+music, 8191) + "ab"},
		{strings.Repeat("&", 40000), strings.Repeat("&", 32767)},
	}
}

// TestXLSXText: every hostile text of xmlHostileDoc reads back from the
// workbook as a spreadsheet must show it, and the row around it is
// intact; the source sheet's texts (not made safe by text.Cell) too.
func TestXLSXText(t *testing.T) {
	doc := xmlHostileDoc()
	book := excelizeView(t, render(t, doc, XLSX, Both))
	checkXMLHostile(t, doc, book, false)
}

// checkXMLHostile checks xmlHostileDoc's purposes and source as a reader
// read them; noCellEscapes for a reader that does not decode "_xHHHH_"
// (openpyxl), whose texts with one are skipped.
func checkXMLHostile(t *testing.T, doc *spec.Document, book bookView, noCellEscapes bool) {
	t.Helper()
	want := map[string]string{}
	for _, tc := range xmlHostileTexts() {
		want[tc[0]] = tc[1]
	}
	plain := excelizeView(t, render(t, gentest.Small(), XLSX, Both))
	for _, sheet := range []int{1, 2} {
		s, p := book.Sheets[sheet], plain.Sheets[sheet]
		if len(s.Rows) != len(p.Rows) {
			t.Fatalf("%s: %d rows, plain %d", s.Title, len(s.Rows), len(p.Rows))
		}
		dir := []spec.Direction{spec.Ingress, spec.Egress}[sheet-1]
		for i, m := range modelRows(doc, dir) {
			row := s.Rows[i+1]
			for c, lang := range map[int]string{7: "en", 8: "ru"} {
				orig := m.r.Purposes.In(lang).Text
				if noCellEscapes && strings.Contains(orig, "_x") {
					continue
				}
				if got := row[c].V; got != want[orig] {
					t.Errorf("%s row %d purpose %s: %.80q (%d UTF-16 units), want %.80q (%d)", s.Title, i+2, lang, got, len(utf16.Encode([]rune(got))), want[orig], len(utf16.Encode([]rune(want[orig]))))
				}
			}
			for _, c := range []int{0, 1, 2, 3, 4, 5, 6, 10} {
				if row[c] != p.Rows[i+1][c] {
					t.Errorf("%s row %d column %d: %+v, plain %+v", s.Title, i+2, c+1, row[c], p.Rows[i+1][c])
				}
			}
		}
	}
	about := book.Sheets[3]
	if got := cellAt(about.Rows, 1, 1).V; got != "src\uFFFD<&>\".md" {
		t.Errorf("source %q", got)
	}
	if got := cellAt(about.Rows, 4, 1).V; got != "en, r\uFFFDu\uFFFD" {
		t.Errorf("languages %q", got)
	}
	if !strings.Contains(book.Props.Description, "src\uFFFD<&>\".md") {
		t.Errorf("description %q", book.Props.Description)
	}
}

// TestNoExcelizeLinked: the report package itself (not its tests) imports
// no excelize, so that no portspec binary links it (and runs its init).
func TestNoExcelizeLinked(t *testing.T) {
	for _, dir := range []string{".", "internal/text", "internal/page", "changes"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pkg.GoFiles) == 0 {
			t.Fatalf("%s: no Go files: the check checks nothing", dir)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, "github.com/xuri/") {
				t.Errorf("gen/report/%s imports %s: only its tests may", dir, imp)
			}
		}
	}
}

// TestXLSXLimits: a matrix cell of more lines than the tallest row shows
// makes the row as tall as a row can be (409 points; excelize refused to
// write the workbook); a sheet of more rows than a sheet holds is an
// error, not a workbook that spreadsheets cut.
func TestXLSXLimits(t *testing.T) {
	doc := gentest.Small()
	var ports []spec.PortRange
	for p := uint16(1000); p < 3000; p += 2 {
		ports = append(ports, spec.PortRange{First: p, Last: p})
	}
	doc.Groups[0].Rules[0].Ports = ports
	book := excelizeView(t, render(t, doc, XLSX, English))
	if h := book.Sheets[0].Heights["2"]; h != 409 {
		t.Errorf("the matrix row of 1,000 ports is %g high, want 409", h)
	}
	checkWorkbookShape(t, book)

	doc = gentest.Small()
	doc.Groups[0].Rules[0].Ports = make([]spec.PortRange, 1<<20)
	_, err := Render(doc, XLSX, English)
	want := fmt.Sprintf(`xlsx: sheet "Ingress" would have %d rows; a sheet holds at most 1048576`, len(modelRows(doc, spec.Ingress))+1)
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// checkWorkbookShape wants every sheet's header row filled.
func checkWorkbookShape(t *testing.T, book bookView) {
	t.Helper()
	for _, s := range book.Sheets {
		if len(s.Rows) == 0 || len(s.Rows[0]) == 0 || s.Rows[0][0].V == "" {
			t.Errorf("%s has no header row", s.Title)
		}
	}
}
