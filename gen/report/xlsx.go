package report

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

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
// Its bytes are a function of the document and the language: excelize
// writes the same parts in the same order for the same calls, and the
// archive is written by deterministicZip (fixed times, no compression
// whose output could change with the Go release), with the generated-file
// header as the archive's comment, where gen.IsGenerated finds it.

func writeXLSX(doc *spec.Document, lang Lang) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newDeterministicZip(w, gen.ZipComment(doc)) })
	x := &workbook{f: f, doc: doc, lang: lang}
	x.styles()
	x.matrixSheet()
	for _, d := range directions(doc) {
		x.flowSheet(d)
	}
	x.aboutSheet()
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:     "portspec",
		Title:       text.Title.For(lang),
		Description: gen.HeaderText(doc),
		Language:    strings.Join(lang.Codes(), ", "),
		Created:     fixedTime.Format(time.RFC3339),
		Modified:    fixedTime.Format(time.RFC3339),
	}); err != nil {
		x.fail(err)
	}
	f.SetActiveSheet(0)
	if x.err != nil {
		return nil, fmt.Errorf("xlsx: %w", x.err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	return b.Bytes(), nil
}

// fixedTime is the time of every archive entry and of the workbook's
// properties: 1980-01-01, the first a ZIP entry can carry.
var fixedTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

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

// workbook builds the sheets; the first error stops nothing but is
// returned (excelize's calls fail only on bad names and references, which
// are ours).
type workbook struct {
	f    *excelize.File
	doc  *spec.Document
	lang Lang
	err  error
	// styles
	head, wrap int
	sheets     int
}

func (x *workbook) fail(err error) {
	if err != nil && x.err == nil {
		x.err = err
	}
}

func (x *workbook) styles() {
	var err error
	x.head, err = x.f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
	})
	x.fail(err)
	x.wrap, err = x.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	x.fail(err)
}

// sheet creates the next sheet (the first renames the workbook's own).
func (x *workbook) sheet(name string) string {
	if x.sheets == 0 {
		x.fail(x.f.SetSheetName("Sheet1", name))
	} else {
		_, err := x.f.NewSheet(name)
		x.fail(err)
	}
	x.sheets++
	return name
}

// sheetName is a label as a sheet's name: both languages joined with a
// middle dot (a sheet name may not hold a slash).
func (x *workbook) sheetName(k text.Key) string {
	if x.lang == Both && k.In("en") != k.In("ru") {
		return k.In("en") + " · " + k.In("ru")
	}
	return k.For(x.lang)
}

func (x *workbook) set(sheet string, col, row int, v string, style int) {
	ref, err := excelize.CoordinatesToCellName(col, row)
	x.fail(err)
	x.fail(x.f.SetCellStr(sheet, ref, v))
	if style != 0 {
		x.fail(x.f.SetCellStyle(sheet, ref, ref, style))
	}
}

func (x *workbook) setInt(sheet string, col, row, v int) {
	ref, err := excelize.CoordinatesToCellName(col, row)
	x.fail(err)
	x.fail(x.f.SetCellInt(sheet, ref, int64(v)))
}

func (x *workbook) widths(sheet string, widths ...float64) {
	for i, w := range widths {
		col, err := excelize.ColumnNumberToName(i + 1)
		x.fail(err)
		x.fail(x.f.SetColWidth(sheet, col, col, w))
	}
}

// freeze freezes the first row, and with cols the first column too.
func (x *workbook) freeze(sheet string, cols bool) {
	p := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}
	if cols {
		p = &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}
	}
	x.fail(x.f.SetPanes(sheet, p))
}

// roleLabel is a role's name in the workbook's language.
func (x *workbook) roleLabel(r spec.Role) string { return text.RoleFor(r, x.lang) }

// matrixSheet: rows the source role, columns the destination, each cell
// the ports per protocol.
func (x *workbook) matrixSheet() {
	m := buildMatrix(x.doc)
	s := x.sheet(x.sheetName(text.SheetMatrix))
	x.set(s, 1, 1, text.FromTo.For(x.lang), x.head)
	for i, to := range m.roles {
		x.set(s, i+2, 1, x.roleLabel(to), x.head)
	}
	for j, from := range m.roles {
		x.set(s, 1, j+2, x.roleLabel(from), x.head)
		lines := 1
		for i, to := range m.roles {
			cell := m.cells[pair{from, to}]
			v := oneLineSummary(portSummary(cell))
			x.set(s, i+2, j+2, v, x.wrap)
			lines = max(lines, strings.Count(v, "\n")+1, wrappedLines(v, 48))
		}
		x.fail(x.f.SetRowHeight(s, j+2, float64(15*lines)))
	}
	widths := []float64{24}
	for range m.roles {
		widths = append(widths, 50)
	}
	x.widths(s, widths...)
	x.freeze(s, true)
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

// flowSheet lists the rows of one direction, in document order.
func (x *workbook) flowSheet(d spec.Direction) {
	s := x.sheet(x.sheetName(text.SheetKey(d)))
	cols := flowColumns()
	for i, k := range cols {
		x.set(s, i+1, 1, k.For(x.lang), x.head)
	}
	n := 1
	for _, r := range rows(x.doc) {
		if r.group.Direction != d {
			continue
		}
		n++
		x.set(s, 1, n, x.roleLabel(r.group.From), 0)
		x.set(s, 2, n, x.roleLabel(r.group.To), 0)
		x.set(s, 3, n, r.rule.Protocol.String(), 0)
		if r.ports != (spec.PortRange{}) {
			x.setInt(s, 4, n, int(r.ports.First))
			x.setInt(s, 5, n, int(r.ports.Last))
		}
		x.set(s, 6, n, spec.FormatPorts(r.rule.Ports), 0)
		x.set(s, 7, n, text.Cell(r.group.ID), 0)
		x.set(s, 8, n, text.Cell(r.rule.Purposes.In("en").Text), x.wrap)
		x.set(s, 9, n, text.Cell(r.rule.Purposes.In("ru").Text), x.wrap)
		x.set(s, 10, n, text.Cell(spec.FormatPosition(r.rule.Pos)), 0)
		x.set(s, 11, n, r.origin(x.doc).For(x.lang), 0)
	}
	last, err := excelize.CoordinatesToCellName(len(cols), n)
	x.fail(err)
	x.fail(x.f.AutoFilter(s, "A1:"+last, nil))
	x.widths(s, 18, 18, 10, 11, 11, 16, 22, 60, 60, 40, 12)
	x.freeze(s, false)
}

// aboutSheet names the source: where the workbook comes from.
func (x *workbook) aboutSheet() {
	s := x.sheet(x.sheetName(text.About))
	x.set(s, 1, 1, text.About.For(x.lang), x.head)
	x.set(s, 2, 1, text.Value.For(x.lang), x.head)
	facts := [][2]string{
		{text.Source.For(x.lang), text.Cell(x.doc.Source)},
		{text.Digest.For(x.lang), x.doc.SHA256},
		{text.Kind.For(x.lang), text.Cell(x.doc.Kind)},
		{text.Languages.For(x.lang), strings.Join(x.doc.Languages, ", ")},
		{"portspec", text.Cell(gen.HeaderText(x.doc))},
	}
	for i, f := range facts {
		x.set(s, 1, i+2, f[0], x.wrap)
		x.set(s, 2, i+2, f[1], x.wrap)
	}
	for i, w := range x.doc.Warnings {
		x.set(s, 1, len(facts)+i+2, text.Warnings.For(x.lang), x.wrap)
		x.set(s, 2, len(facts)+i+2, text.Cell(w.String()), x.wrap)
	}
	x.widths(s, 36, 90)
	x.freeze(s, false)
}

// deterministicZip is the archive writer excelize writes the workbook
// through: every entry stored (not compressed) with the same time, and the
// generated-file header as the archive comment.
type deterministicZip struct {
	w       *zip.Writer
	comment string
}

func newDeterministicZip(w io.Writer, comment string) *deterministicZip {
	return &deterministicZip{w: zip.NewWriter(w), comment: comment}
}

func (z *deterministicZip) Create(name string) (io.Writer, error) {
	return z.w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: fixedTime})
}

func (z *deterministicZip) AddFS(fs.FS) error {
	return errors.New("adding a file system to the workbook is not supported")
}

func (z *deterministicZip) Close() error {
	if err := z.w.SetComment(z.comment); err != nil {
		return err
	}
	return z.w.Close()
}
