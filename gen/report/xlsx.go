package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// The workbook: the matrix sheet first, then a sheet per direction (the
// CSV's columns, without the direction), then one naming the source. Every
// sheet has its header row (and the matrix its first column) frozen and
// its columns' widths set; the flow sheets have filters on. Document text
// goes in as strings (never as formulas) and through text.Cell, as in the
// CSV.
//
// It is written here, part by part and row by row, as SpreadsheetML
// (ECMA-376's transitional form, which every spreadsheet reads) straight
// into the archive: nothing of a sheet is kept but the row being written. Document text is inline (t="inlineStr"), so no table of it is
// held until the sheets are done; the labels that repeat on every row
// (roles, protocols, origins, groups, headers) are in a shared string
// table (see labels). Every text goes through appendXMLText:
// characters XML 1.0 does not allow and invalid UTF-8 become U+FFFD, the
// markup characters and the line ends are escaped, an underscore that
// would start one of SpreadsheetML's own "_xHHHH_" escapes is escaped
// itself, and a cell holds at most the 32,767 UTF-16 units a spreadsheet
// cell can (the rest is cut).
//
// Its bytes are a function of the document and the language: the parts
// are written in a fixed order ([Content_Types].xml first, the shared
// strings after the sheets), every entry stored (not compressed, so that
// no Go release's compressor can change them) with the same time, and the
// generated-file header is the archive's comment, where gen.IsGenerated
// finds it.

// fixedTime is the time of every archive entry and of the workbook's
// properties: 1980-01-01, the first a ZIP entry can carry.
var fixedTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// The cell styles: their indexes in styles.xml's cellXfs.
const (
	styleNone = 0
	styleHead = 1 // bold, filled DDE6F0, top-aligned, wrapped: header cells
	styleWrap = 2 // top-aligned, wrapped
)

// The limits of a sheet: the characters of a cell (counted in UTF-16
// units), its rows, a row's height in points.
const (
	maxCellUnits = 32767
	maxRows      = 1 << 20
	maxRowHeight = 409
)

func writeXLSX(doc *spec.Document, lang Lang, m matrix) ([]byte, error) {
	x := &workbook{doc: doc, lang: lang}
	x.plan(m)
	names := map[string]bool{}
	for _, s := range x.sheets {
		if err := checkSheetName(s.name); err != nil {
			return nil, fmt.Errorf("xlsx: %w", err)
		}
		if names[strings.ToLower(s.name)] {
			return nil, fmt.Errorf("xlsx: two sheets named %q", s.name)
		}
		names[strings.ToLower(s.name)] = true
		if s.rows > maxRows {
			return nil, fmt.Errorf("xlsx: sheet %q would have %d rows; a sheet holds at most %d", s.name, s.rows, maxRows)
		}
	}
	var b bytes.Buffer
	b.Grow(x.sizeHint())
	z := zip.NewWriter(&b)
	buf := make([]byte, 0, flushAt+4096) // every part's, in turn
	part := func(name string, write func(w *xmlWriter)) error {
		zw, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: fixedTime})
		if err != nil {
			return err
		}
		w := &xmlWriter{w: zw, buf: buf[:0]}
		w.raw(xmlDecl)
		write(w)
		err = w.flush()
		buf = w.buf
		return err
	}
	parts := []struct {
		name  string
		write func(*xmlWriter)
	}{
		{"[Content_Types].xml", x.contentTypes},
		{"_rels/.rels", x.packageRels},
		{"docProps/core.xml", x.coreProps},
		{"docProps/app.xml", x.appProps},
		{"xl/workbook.xml", x.workbookPart},
		{"xl/_rels/workbook.xml.rels", x.workbookRels},
		{"xl/styles.xml", x.stylesPart},
	}
	for _, p := range parts {
		if err := part(p.name, p.write); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", p.name, err)
		}
	}
	for i := range x.sheets {
		s := &x.sheets[i]
		if err := part(sheetPath(i), func(w *xmlWriter) { x.sheetPart(w, i, s) }); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", sheetPath(i), err)
		}
	}
	if err := part("xl/sharedStrings.xml", x.sharedStrings); err != nil {
		return nil, fmt.Errorf("xlsx: xl/sharedStrings.xml: %w", err)
	}
	if err := z.SetComment(gen.ZipComment(doc)); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	if err := z.Close(); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return b.Bytes(), nil
}

const xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// The namespaces and the types of the parts and their relationships.
const (
	nsMain     = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRels     = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsDocRels  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	ctMain     = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	ctSheet    = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
	ctStyles   = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
	ctStrings  = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
	ctCore     = "application/vnd.openxmlformats-package.core-properties+xml"
	ctApp      = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
	relOffice  = nsDocRels + "/officeDocument"
	relCore    = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
	relApp     = nsDocRels + "/extended-properties"
	relSheet   = nsDocRels + "/worksheet"
	relStyles  = nsDocRels + "/styles"
	relStrings = nsDocRels + "/sharedStrings"
)

// flowColCount is the number of the flow sheets' columns (flowColumns).
const flowColCount = 11

func sheetPath(i int) string { return "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml" }

// workbook is the plan of the sheets, made before any is written (the
// workbook part names them and their filters' ranges first).
type workbook struct {
	doc    *spec.Document
	lang   Lang
	sheets []sheetPlan
	labels labels
}

// labels is the shared string table: the report's own labels (headers,
// roles, protocols, origins) and the groups' names, which repeat on every
// row, each written once; document text that differs from row to row is
// inline. It grows only with the labels and groups, so the rows still
// stream, and it is written after the sheets.
type labels struct {
	index map[string]int
	list  []string
}

// of returns a label's place in the table, adding it when new.
func (l *labels) of(s string) int {
	i, ok := l.index[s]
	if !ok {
		if l.index == nil {
			l.index = map[string]int{}
		}
		i = len(l.list)
		l.index[s] = i
		l.list = append(l.list, s)
	}
	return i
}

// sheetPlan is one sheet: its name, size, widths, frozen panes, filter,
// and how its rows are written.
type sheetPlan struct {
	name       string
	rows, cols int       // the header row included
	widths     []float64 // of the columns, from A
	freezeCol  bool      // the first column frozen too (the header row always is)
	filter     bool
	rowsFn     func(w *sheetWriter)
}

func (x *workbook) plan(m matrix) {
	x.sheets = append(x.sheets, sheetPlan{
		name: x.sheetName(text.SheetMatrix), rows: len(m.roles) + 1, cols: len(m.roles) + 1,
		widths: matrixWidths(len(m.roles)), freezeCol: true,
		rowsFn: func(w *sheetWriter) { x.matrixRows(w, m) },
	})
	count := map[spec.Direction]int{}
	for _, g := range x.doc.Groups {
		for _, r := range g.Rules {
			count[g.Direction] += max(1, len(r.Ports))
		}
	}
	for _, d := range directions(x.doc) {
		x.sheets = append(x.sheets, sheetPlan{
			name: x.sheetName(text.SheetKey(d)), rows: count[d] + 1, cols: flowColCount,
			widths: []float64{18, 18, 10, 11, 11, 16, 22, 60, 60, 40, 12}, filter: true,
			rowsFn: func(w *sheetWriter) { x.flowRows(w, d) },
		})
	}
	x.sheets = append(x.sheets, sheetPlan{
		name: x.sheetName(text.About), rows: len(x.facts()) + len(x.doc.Warnings) + 1, cols: 2,
		widths: []float64{36, 90},
		rowsFn: x.aboutRows,
	})
}

// sizeHint guesses the archive's size, so that its buffer grows once or
// not at all, and holds little more than it needs: about 420 bytes of
// markup a flow row and its texts, 512 bytes a matrix cell.
func (x *workbook) sizeHint() int {
	n := 16<<10 + x.sheets[0].rows*x.sheets[0].cols*512
	for _, g := range x.doc.Groups {
		for _, r := range g.Rules {
			row := 420 + len(r.Purposes.In("en").Text) + len(r.Purposes.In("ru").Text) + len(r.Pos.Filename) + 8*min(len(r.Ports), 64)
			n += max(1, len(r.Ports)) * row
		}
	}
	return n
}

func matrixWidths(roles int) []float64 {
	w := []float64{24}
	for range roles {
		w = append(w, 50)
	}
	return w
}

// directions returns the directions the document's groups have, ingress
// first.
func directions(doc *spec.Document) []spec.Direction {
	var out []spec.Direction
	for _, d := range []spec.Direction{spec.Ingress, spec.Egress, spec.DirectionUnknown} {
		for _, g := range doc.Groups {
			if g.Direction == d && len(g.Rules) > 0 {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

// sheetName is a label as a sheet's name: both languages joined with a
// middle dot (a sheet name may not hold a slash).
func (x *workbook) sheetName(k text.Key) string {
	if x.lang == Both && k.In("en") != k.In("ru") {
		return k.In("en") + " · " + k.In("ru")
	}
	return k.For(x.lang)
}

// checkSheetName: a sheet's name is 1-31 characters, none of []:*?/\, and
// does not start or end with an apostrophe (the rules spreadsheets
// enforce; the names are the report's own labels).
func checkSheetName(name string) error {
	if n := len([]rune(name)); n == 0 || n > 31 || strings.ContainsAny(name, `[]:*?/\`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return fmt.Errorf("%q cannot be a sheet's name", name)
	}
	return nil
}

// roleLabel is a role's name in the workbook's language.
func (x *workbook) roleLabel(r spec.Role) string { return text.RoleFor(r, x.lang) }

// matrixRows: rows the source role, columns the destination, each cell
// the ports per protocol; each row tall enough for its fullest cell (or
// as tall as a row can be).
func (x *workbook) matrixRows(w *sheetWriter, m matrix) {
	w.row(0)
	w.label(text.FromTo.For(x.lang), styleHead)
	for _, to := range m.roles {
		w.label(x.roleLabel(to), styleHead)
	}
	w.endRow()
	for _, from := range m.roles {
		cells := make([]string, len(m.roles))
		lines := 1
		for i, to := range m.roles {
			cells[i] = oneLineSummary(portSummary(m.cells[pair{from, to}]))
			lines = max(lines, strings.Count(cells[i], "\n")+1, wrappedLines(cells[i], 48))
		}
		w.row(min(15*lines, maxRowHeight))
		w.label(x.roleLabel(from), styleHead)
		for _, v := range cells {
			w.str(v, styleWrap)
		}
		w.endRow()
	}
}

// wrappedLines estimates how many lines a cell of width characters shows
// for v, so that the row is tall enough without the reader resizing it.
func wrappedLines(v string, width int) int {
	n := 0
	for _, l := range strings.Split(v, "\n") {
		n += max(1, (len([]rune(l))+width-1)/width)
	}
	return n
}

// flowColumns are the flow sheets' columns.
func flowColumns() []text.Key {
	return []text.Key{text.From, text.To, text.Protocol, text.FirstPort, text.LastPort, text.Ports, text.Group, text.PurposeEN, text.PurposeRU, text.Line, text.Origin}
}

// ruleCells are the cells a rule's rows share, made once per rule (a rule
// of many ranges has a row for each).
type ruleCells struct {
	rule                            *spec.Rule
	protocol, ports, en, ru, source string
	origin                          text.Key
}

// flowRows lists the rows of one direction, in document order.
func (x *workbook) flowRows(w *sheetWriter, d spec.Direction) {
	w.row(0)
	for _, k := range flowColumns() {
		w.label(k.For(x.lang), styleHead)
	}
	w.endRow()
	roles := map[spec.Role]string{}
	role := func(r spec.Role) string {
		s, ok := roles[r]
		if !ok {
			s = x.roleLabel(r)
			roles[r] = s
		}
		return s
	}
	origins := map[text.Key]string{}
	var group *spec.Group
	var groupID string
	var rc ruleCells
	for r := range eachRow(x.doc) {
		if r.group.Direction != d {
			continue
		}
		if r.group != group {
			group, groupID = r.group, text.Cell(r.group.ID)
		}
		if r.rule != rc.rule {
			rc = ruleCells{
				rule: r.rule, protocol: r.rule.Protocol.String(), ports: listedPorts(r.rule.Ports),
				en: text.Cell(r.rule.Purposes.In("en").Text), ru: text.Cell(r.rule.Purposes.In("ru").Text),
				source: text.Cell(spec.FormatPosition(r.rule.Pos)), origin: r.origin(x.doc),
			}
		}
		if _, ok := origins[rc.origin]; !ok {
			origins[rc.origin] = rc.origin.For(x.lang)
		}
		w.row(0)
		w.label(role(r.group.From), styleNone)
		w.label(role(r.group.To), styleNone)
		w.label(rc.protocol, styleNone)
		if r.ports != (spec.PortRange{}) {
			w.num(int(r.ports.First))
			w.num(int(r.ports.Last))
		} else {
			w.skip(2)
		}
		w.str(rc.ports, styleNone)
		w.label(groupID, styleNone)
		w.str(rc.en, styleWrap)
		w.str(rc.ru, styleWrap)
		w.str(rc.source, styleNone)
		w.label(origins[rc.origin], styleNone)
		w.endRow()
	}
}

// facts are the about sheet's rows after its header: what and value.
func (x *workbook) facts() [][2]string {
	return [][2]string{
		{text.Source.For(x.lang), text.Cell(x.doc.Source)},
		{text.Digest.For(x.lang), x.doc.SHA256},
		{text.Kind.For(x.lang), text.Cell(x.doc.Kind)},
		{text.Languages.For(x.lang), strings.Join(x.doc.Languages, ", ")},
		{"portspec", text.Cell(gen.HeaderText(x.doc))},
	}
}

// aboutRows name the source: where the workbook comes from.
func (x *workbook) aboutRows(w *sheetWriter) {
	w.row(0)
	w.label(text.About.For(x.lang), styleHead)
	w.label(text.Value.For(x.lang), styleHead)
	w.endRow()
	for _, f := range x.facts() {
		w.row(0)
		w.label(f[0], styleWrap)
		w.str(f[1], styleWrap)
		w.endRow()
	}
	for _, warn := range x.doc.Warnings {
		w.row(0)
		w.label(text.Warnings.For(x.lang), styleWrap)
		w.str(text.Cell(warn.String()), styleWrap)
		w.endRow()
	}
}

// The parts around the sheets.

func (x *workbook) contentTypes(w *xmlWriter) {
	w.raw(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	w.raw(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	w.raw(`<Default Extension="xml" ContentType="application/xml"/>`)
	override := func(part, ct string) { w.raw(`<Override PartName="/` + part + `" ContentType="` + ct + `"/>`) }
	override("docProps/core.xml", ctCore)
	override("docProps/app.xml", ctApp)
	override("xl/workbook.xml", ctMain)
	override("xl/styles.xml", ctStyles)
	override("xl/sharedStrings.xml", ctStrings)
	for i := range x.sheets {
		override(sheetPath(i), ctSheet)
	}
	w.raw(`</Types>`)
}

func (x *workbook) packageRels(w *xmlWriter) {
	w.raw(`<Relationships xmlns="` + nsRels + `">`)
	w.raw(`<Relationship Id="rId1" Type="` + relOffice + `" Target="xl/workbook.xml"/>`)
	w.raw(`<Relationship Id="rId2" Type="` + relCore + `" Target="docProps/core.xml"/>`)
	w.raw(`<Relationship Id="rId3" Type="` + relApp + `" Target="docProps/app.xml"/>`)
	w.raw(`</Relationships>`)
}

// coreProps are the document's properties: title, creator, description
// (the generated-file header), language, and the fixed time as its
// creation and modification.
func (x *workbook) coreProps(w *xmlWriter) {
	w.raw(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	elem := func(name, v string) {
		w.raw("<" + name + ">")
		w.text(v)
		w.raw("</" + name + ">")
	}
	elem("dc:title", text.Title.For(x.lang))
	elem("dc:creator", "portspec")
	elem("dc:description", gen.HeaderText(x.doc))
	elem("dc:language", strings.Join(x.lang.Codes(), ", "))
	at := fixedTime.Format(time.RFC3339)
	w.raw(`<dcterms:created xsi:type="dcterms:W3CDTF">` + at + `</dcterms:created>`)
	w.raw(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + at + `</dcterms:modified>`)
	w.raw(`</cp:coreProperties>`)
}

func (x *workbook) appProps(w *xmlWriter) {
	w.raw(`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>portspec</Application></Properties>`)
}

// workbookPart names the sheets (the first one shown) and the flow
// sheets' filter ranges (the hidden names spreadsheets keep them under).
func (x *workbook) workbookPart(w *xmlWriter) {
	w.raw(`<workbook xmlns="` + nsMain + `" xmlns:r="` + nsDocRels + `">`)
	w.raw(`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, s := range x.sheets {
		w.raw(`<sheet name="`)
		w.text(s.name)
		n := strconv.Itoa(i + 1)
		w.raw(`" sheetId="` + n + `" r:id="rId` + n + `"/>`)
	}
	w.raw(`</sheets>`)
	filters := false
	for i, s := range x.sheets {
		if !s.filter {
			continue
		}
		if !filters {
			w.raw(`<definedNames>`)
			filters = true
		}
		w.raw(`<definedName name="_xlnm._FilterDatabase" localSheetId="` + strconv.Itoa(i) + `" hidden="1">`)
		w.text("'" + strings.ReplaceAll(s.name, "'", "''") + "'!$A$1:$" + colName(s.cols-1) + "$" + strconv.Itoa(s.rows))
		w.raw(`</definedName>`)
	}
	if filters {
		w.raw(`</definedNames>`)
	}
	w.raw(`</workbook>`)
}

func (x *workbook) workbookRels(w *xmlWriter) {
	w.raw(`<Relationships xmlns="` + nsRels + `">`)
	for i := range x.sheets {
		n := strconv.Itoa(i + 1)
		w.raw(`<Relationship Id="rId` + n + `" Type="` + relSheet + `" Target="worksheets/sheet` + n + `.xml"/>`)
	}
	w.raw(`<Relationship Id="rId` + strconv.Itoa(len(x.sheets)+1) + `" Type="` + relStyles + `" Target="styles.xml"/>`)
	w.raw(`<Relationship Id="rId` + strconv.Itoa(len(x.sheets)+2) + `" Type="` + relStrings + `" Target="sharedStrings.xml"/>`)
	w.raw(`</Relationships>`)
}

// stylesPart: the default font and cell format, and the two formats the
// cells use (styleHead, styleWrap).
func (x *workbook) stylesPart(w *xmlWriter) {
	w.raw(`<styleSheet xmlns="` + nsMain + `">`)
	w.raw(`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>`)
	w.raw(`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDE6F0"/><bgColor indexed="64"/></patternFill></fill></fills>`)
	w.raw(`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`)
	w.raw(`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	w.raw(`<cellXfs count="3">`)
	w.raw(`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`)
	w.raw(`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`)
	w.raw(`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`)
	w.raw(`</cellXfs>`)
	w.raw(`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>`)
	w.raw(`<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/>`)
	w.raw(`</styleSheet>`)
}

// sharedStrings is the table of the labels the sheets used, in the order
// they first did.
func (x *workbook) sharedStrings(w *xmlWriter) {
	w.raw(`<sst xmlns="` + nsMain + `" uniqueCount="` + strconv.Itoa(len(x.labels.list)) + `">`)
	for _, l := range x.labels.list {
		w.buf = append(w.buf, `<si>`...)
		w.buf = append(appendCellText(w.buf, l), `</si>`...)
		w.maybeFlush()
	}
	w.raw(`</sst>`)
}

// sheetPart writes one sheet: its size, frozen panes, column widths, the
// rows as rowsFn writes them, and the filter.
func (x *workbook) sheetPart(w *xmlWriter, i int, s *sheetPlan) {
	last := colName(s.cols-1) + strconv.Itoa(s.rows)
	w.raw(`<worksheet xmlns="` + nsMain + `"><dimension ref="A1:` + last + `"/><sheetViews><sheetView`)
	if i == 0 {
		w.raw(` tabSelected="1"`)
	}
	if s.freezeCol {
		w.raw(` workbookViewId="0"><pane xSplit="1" ySplit="1" topLeftCell="B2" activePane="bottomRight" state="frozen"/></sheetView></sheetViews>`)
	} else {
		w.raw(` workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	}
	w.raw(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for c, width := range s.widths {
		n := strconv.Itoa(c + 1)
		w.raw(`<col min="` + n + `" max="` + n + `" width="` + strconv.FormatFloat(width, 'f', -1, 64) + `" customWidth="1"/>`)
	}
	w.raw(`</cols><sheetData>`)
	sw := &sheetWriter{w: w, labels: &x.labels}
	s.rowsFn(sw)
	w.raw(`</sheetData>`)
	if s.filter {
		w.raw(`<autoFilter ref="A1:` + last + `"/>`)
	}
	w.raw(`</worksheet>`)
}

// colName is a column's letters: 0 is A, 26 is AA.
func colName(c int) string {
	var b []byte
	for c++; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return string(b)
}

// sheetWriter writes a sheet's rows, one cell after another from column
// A.
type sheetWriter struct {
	w        *xmlWriter
	labels   *labels
	row1     int // the row being written, from 1
	col      int // the next cell's column, from 0
	rowLabel []byte
}

// row starts the next row; height (points) 0 leaves it the default.
func (s *sheetWriter) row(height int) {
	s.row1++
	s.col = 0
	s.rowLabel = strconv.AppendInt(s.rowLabel[:0], int64(s.row1), 10)
	b := append(s.w.buf, `<row r="`...)
	b = append(b, s.rowLabel...)
	if height > 0 {
		b = append(b, `" ht="`...)
		b = strconv.AppendInt(b, int64(height), 10)
		b = append(b, `" customHeight="1`...)
	}
	s.w.buf = append(b, `">`...)
}

func (s *sheetWriter) endRow() {
	s.w.buf = append(s.w.buf, `</row>`...)
	s.w.maybeFlush()
}

// ref opens the next cell: `<c r="B7"`.
func (s *sheetWriter) ref() []byte {
	b := append(s.w.buf, `<c r="`...)
	if s.col < 26 {
		b = append(b, byte('A'+s.col))
	} else {
		b = append(b, colName(s.col)...)
	}
	b = append(b, s.rowLabel...)
	s.col++
	return append(b, '"')
}

func appendStyle(b []byte, style int) []byte {
	if style == styleNone {
		return b
	}
	b = append(b, ` s="`...)
	b = strconv.AppendInt(b, int64(style), 10)
	return append(b, '"')
}

// str writes a text cell; an empty text leaves the cell blank (but
// styled).
func (s *sheetWriter) str(v string, style int) {
	if v == "" {
		if style != styleNone {
			b := appendStyle(s.ref(), style)
			s.w.buf = append(b, `/>`...)
		} else {
			s.col++
		}
		return
	}
	b := appendStyle(s.ref(), style)
	b = append(b, ` t="inlineStr"><is>`...)
	b = appendCellText(b, cutCell(v))
	s.w.buf = append(b, `</is></c>`...)
}

// appendCellText appends a cell's text element, <t>…</t>, keeping its
// spaces where it starts or ends with one.
func appendCellText(b []byte, v string) []byte {
	b = append(b, `<t`...)
	if v != "" && (isXMLSpace(v[0]) || isXMLSpace(v[len(v)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendXMLText(b, v, true)
	return append(b, `</t>`...)
}

// label writes a cell of the shared string table's (an empty text leaves
// the cell blank, as str does).
func (s *sheetWriter) label(v string, style int) {
	if v == "" {
		s.str(v, style)
		return
	}
	b := appendStyle(s.ref(), style)
	b = append(b, ` t="s"><v>`...)
	b = strconv.AppendInt(b, int64(s.labels.of(cutCell(v))), 10)
	s.w.buf = append(b, `</v></c>`...)
}

// num writes a number cell.
func (s *sheetWriter) num(v int) {
	b := append(s.ref(), `><v>`...)
	b = strconv.AppendInt(b, int64(v), 10)
	s.w.buf = append(b, `</v></c>`...)
}

// skip leaves n cells out.
func (s *sheetWriter) skip(n int) { s.col += n }

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// cutCell cuts a text to the maxCellUnits UTF-16 units a cell holds (at a
// character, counting each invalid byte as the U+FFFD it is written as).
func cutCell(s string) string {
	if len(s) <= maxCellUnits { // a UTF-16 unit takes at least a byte of UTF-8
		return s
	}
	units := 0
	for i, r := range s {
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		if units > maxCellUnits {
			return s[:i]
		}
	}
	return s
}

// xmlWriter buffers a part's XML and writes it to the archive in chunks.
type xmlWriter struct {
	w   io.Writer
	buf []byte
	err error
}

const flushAt = 32 << 10

func (w *xmlWriter) raw(s string) {
	w.buf = append(w.buf, s...)
	w.maybeFlush()
}

// text writes any text as character data (of an element or a quoted
// attribute).
func (w *xmlWriter) text(s string) {
	w.buf = appendXMLText(w.buf, s, false)
	w.maybeFlush()
}

func (w *xmlWriter) maybeFlush() {
	if len(w.buf) >= flushAt {
		w.flush()
	}
}

func (w *xmlWriter) flush() error {
	if w.err == nil && len(w.buf) > 0 {
		_, w.err = w.w.Write(w.buf)
	}
	w.buf = w.buf[:0]
	return w.err
}

// appendXMLText appends s as XML 1.0 character data, fit for an element's
// content and a quoted attribute alike: & < > " escaped; tab, line feed
// and carriage return as character references (so that no reader
// normalises them away); invalid UTF-8 and every character XML 1.0 does
// not allow (the C0 controls, U+FFFE, U+FFFF) as U+FFFD. With cell, s is
// a cell's text, where SpreadsheetML reads "_x000D_" as the character
// U+000D: an underscore that starts such an escape (isCellEscape) is
// written "_x005F_", SpreadsheetML's escape of itself, so that the text
// reads back as it is.
func appendXMLText(b []byte, s string, cell bool) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '"':
				b = append(b, "&quot;"...)
			case c == '\t':
				b = append(b, "&#x9;"...)
			case c == '\n':
				b = append(b, "&#xA;"...)
			case c == '\r':
				b = append(b, "&#xD;"...)
			case c < 0x20:
				b = append(b, "\uFFFD"...)
			case c == '_' && cell && isCellEscape(s[i:]):
				b = append(b, "_x005F"...)
				b = append(b, c)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if n == 1 || !xmlChar(r) { // an invalid byte (or a disallowed character)
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return b
}

// isCellEscape reports whether s starts with "_x", one to four hex digits
// and "_". SpreadsheetML's escapes have four digits ("_x000D_"), and
// Excel and excelize read no other; LibreOffice reads "_xD_" too (and
// then goes on after it), so an underscore that starts either is escaped.
func isCellEscape(s string) bool {
	if len(s) < 4 || s[1] != 'x' {
		return false
	}
	for i := 2; i < len(s) && i <= 6; i++ {
		c := s[i]
		switch {
		case c == '_':
			return i > 2
		case i == 6 || !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'):
			return false
		}
	}
	return false
}

// xmlChar reports whether XML 1.0 allows a character of U+0080 and above.
func xmlChar(r rune) bool {
	return r <= 0xD7FF || 0xE000 <= r && r <= 0xFFFD || 0x10000 <= r && r <= 0x10FFFF
}
