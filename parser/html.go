package parser

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// readHTML reads the page as the documentation site serves it (and as
// kramdown, goldmark or a browser's "save page" writes it): port tables are
// <table> elements whose header row names Port, Protocol and Purpose, each
// under the nearest heading (<h1>…<h6>) before it, or its <caption>. Cells
// may hold paragraphs, lists, emphasis, code and links: the purpose is kept
// as markdown (emphasis as *…*, code as `…`, paragraphs as blank lines) and
// as plain text. Script, style and the document's <head> are skipped.
//
// It walks golang.org/x/net/html's tokenizer rather than its tree builder,
// because only the tokens carry their place in the source: every row and
// cell keeps its line and column. The tree builder's repairs are done here
// for tables, the one structure read: a cell ends at the next cell, a row
// at the next row, both at the end of their table.
func readHTML(r *reader) {
	m := &mdReader{reader: r, groups: map[*mdHeading]int{}, form: formHTML}
	h := &htmlReader{m: m, base: r.src.bom}
	h.run(r.src.src[r.src.bom:])
	if m.tables == 0 {
		r.errorf(r.src.lineCol(1, 1), "no port tables found: expected HTML tables whose header row names Port, Protocol and Purpose, each under a heading")
	}
}

type htmlReader struct {
	m    *mdReader
	base int // offset of the tokenizer's input in the source
	off  int // offset of the current token

	skip    []string // open elements whose content is not read (script, style, head, …)
	heading *htmlText
	hpos    int // offset of the heading's start tag
	anchor  *htmlText
	tables  []*htmlTable
}

// skipped are the elements whose content is never part of the page's text.
var skipped = map[string]bool{"script": true, "style": true, "head": true, "template": true, "noscript": true, "svg": true, "math": true, "title": true, "textarea": true, "select": true, "button": true}

func (h *htmlReader) run(src []byte) {
	z := html.NewTokenizer(bytes.NewReader(src))
	for {
		tt := z.Next()
		raw := z.Raw()
		start := h.off
		h.off += len(raw)
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				h.m.errorf(h.m.src.pos(h.base+start), "HTML: %v", z.Err())
			}
			break
		}
		h.token(z, tt, start)
	}
	if len(h.tables) > 0 {
		h.m.partialf(h.m.src.pos(h.base+h.off), "the document ends inside a table (no </table> closes the table that starts at line %d): it looks cut short", h.m.src.pos(h.base+h.tables[0].off).Line)
		for len(h.tables) > 0 {
			h.endTable()
		}
	}
}

// token handles one token that starts at offset start.
func (h *htmlReader) token(z *html.Tokenizer, tt html.TokenType, start int) {
	switch tt {
	case html.TextToken:
		if len(h.skip) > 0 {
			return
		}
		h.text(string(z.Text()))
	case html.StartTagToken, html.SelfClosingTagToken:
		name, hasAttr := z.TagName()
		tag := string(name)
		var attrs map[string]string
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if attrs == nil {
				attrs = map[string]string{}
			}
			attrs[string(k)] = string(v)
		}
		if len(h.skip) > 0 || skipped[tag] {
			if tt == html.StartTagToken && skipped[tag] {
				h.skip = append(h.skip, tag)
			}
			return
		}
		h.start(tag, attrs, start)
	case html.EndTagToken:
		name, _ := z.TagName()
		tag := string(name)
		if n := len(h.skip); n > 0 {
			if h.skip[n-1] == tag {
				h.skip = h.skip[:n-1]
			}
			return
		}
		h.end(tag)
	}
}

// cell is the open cell of the innermost table, or nil.
func (h *htmlReader) cell() *htmlCell {
	if n := len(h.tables); n > 0 {
		return h.tables[n-1].cell()
	}
	return nil
}

// sink is where text goes now: the open cell, the caption, the heading.
func (h *htmlReader) sink() *htmlText {
	if c := h.cell(); c != nil {
		return &c.htmlText
	}
	if n := len(h.tables); n > 0 && h.tables[n-1].caption != nil {
		return h.tables[n-1].caption
	}
	if h.anchor != nil {
		return h.anchor
	}
	return h.heading
}

func (h *htmlReader) text(s string) {
	if t := h.sink(); t != nil {
		t.write(s)
	}
}

func isHeadingTag(tag string) bool {
	return len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6'
}

func (h *htmlReader) start(tag string, attrs map[string]string, start int) {
	after := h.base + h.off // where the element's content starts
	switch {
	case tag == "table":
		if c := h.cell(); c != nil {
			c.nested++
			c.block()
			return
		}
		h.tables = append(h.tables, &htmlTable{off: h.base + start})
		return
	case isHeadingTag(tag) && len(h.tables) == 0:
		h.heading, h.hpos, h.anchor = &htmlText{}, h.base+start, nil
		return
	}
	if n := len(h.tables); n > 0 {
		t := h.tables[n-1]
		if c := t.cell(); c != nil && c.nested > 0 {
			if tag == "td" || tag == "th" || tag == "tr" || tag == "br" || tag == "p" || tag == "li" {
				c.block()
			}
			return
		}
		switch tag {
		case "caption":
			t.caption = &htmlText{}
			return
		case "thead":
			t.section = "thead"
			return
		case "tbody", "tfoot":
			t.section = tag
			return
		case "tr":
			t.closeRow()
			t.rows = append(t.rows, &htmlRow{off: h.base + start, head: t.section == "thead"})
			return
		case "td", "th":
			if len(t.rows) == 0 || t.rows[len(t.rows)-1].closed {
				t.rows = append(t.rows, &htmlRow{off: h.base + start, head: t.section == "thead"})
			}
			row := t.rows[len(t.rows)-1]
			row.closeCell()
			c := &htmlCell{off: after, th: tag == "th", open: true}
			c.colspan, _ = strconv.Atoi(attrs["colspan"])
			c.rowspan, _ = strconv.Atoi(attrs["rowspan"])
			c.spanAt = h.base + start
			row.cells = append(row.cells, c)
			return
		}
	}
	t := h.sink()
	if t == nil {
		return
	}
	switch tag {
	case "p", "div", "ul", "ol", "blockquote", "pre", "dl", "dd", "dt", "section", "article", "header", "footer", "figure", "hr", "table", "h1", "h2", "h3", "h4", "h5", "h6":
		t.block()
	case "li":
		t.block()
		t.pendingMD = "- "
	case "br":
		t.lineBreak()
	case "em", "i", "cite", "var", "dfn":
		t.open("*")
	case "strong", "b":
		t.open("**")
	case "code", "kbd", "samp", "tt":
		t.openCode()
	case "a":
		if h.heading != nil && t == h.heading && strings.HasPrefix(attrs["href"], "#") {
			h.anchor = &htmlText{} // maybe a permalink marker: read apart
		}
	}
}

func (h *htmlReader) end(tag string) {
	switch {
	case tag == "table":
		if c := h.cell(); c != nil && c.nested > 0 {
			c.nested--
			c.block()
			return
		}
		if len(h.tables) > 0 {
			h.endTable()
		}
		return
	case isHeadingTag(tag) && h.heading != nil && len(h.tables) == 0:
		h.endAnchor()
		text := h.heading.plainText()
		pos := h.m.src.pos(h.hpos)
		h.heading = nil
		if text != "" {
			h.m.heading = &mdHeading{text: text, pos: pos}
		}
		return
	}
	if n := len(h.tables); n > 0 {
		t := h.tables[n-1]
		if c := t.cell(); c != nil && c.nested > 0 {
			return
		}
		switch tag {
		case "caption":
			if t.caption != nil {
				t.captionText = t.caption.plainText()
				t.caption = nil
			}
			return
		case "thead", "tbody", "tfoot":
			t.closeRow()
			t.section = ""
			return
		case "tr":
			t.closeRow()
			return
		case "td", "th":
			if len(t.rows) > 0 {
				t.rows[len(t.rows)-1].closeCell()
			}
			return
		}
	}
	if tag == "a" && h.anchor != nil {
		h.endAnchor()
		return
	}
	t := h.sink()
	if t == nil {
		return
	}
	switch tag {
	case "p", "div", "ul", "ol", "li", "blockquote", "pre", "dl", "dd", "dt", "section", "article", "header", "footer", "figure":
		t.block()
	case "em", "i", "cite", "var", "dfn":
		t.close("*")
	case "strong", "b":
		t.close("**")
	case "code", "kbd", "samp", "tt":
		t.closeCode()
	}
}

// endAnchor ends a link inside a heading to an anchor of the page: a
// permalink marker ("#", "¶", "§", "🔗", or nothing) is dropped, any other
// text is part of the heading.
func (h *htmlReader) endAnchor() {
	a := h.anchor
	h.anchor = nil
	if a == nil || h.heading == nil {
		return
	}
	switch s := a.plainText(); s {
	case "", "#", "¶", "§", "🔗":
	default:
		h.heading.write(" " + s + " ")
	}
}

// endTable closes the innermost table and reads it.
func (h *htmlReader) endTable() {
	n := len(h.tables)
	t := h.tables[n-1]
	h.tables = h.tables[:n-1]
	t.closeRow()
	if t.caption != nil {
		t.captionText = t.caption.plainText()
	}
	h.readTable(t)
}

// readTable reads one table: its header row decides whether it is a port
// table, its other rows are the rules.
func (h *htmlReader) readTable(t *htmlTable) {
	m := h.m
	if len(t.rows) == 0 {
		return
	}
	hi := 0
	for i, row := range t.rows {
		if row.head {
			hi = i
			break
		}
	}
	header := t.rows[hi]
	hcells := make([]cell, len(header.cells))
	for i, c := range header.cells {
		hcells[i] = cell{text: []byte(c.plainText()), off: c.off}
	}
	hl := mdLine{off: header.off}
	cols, ok := m.columns(hcells, hl)
	if !ok {
		return
	}
	m.tables++
	if t.captionText != "" {
		m.heading = &mdHeading{text: t.captionText, pos: m.src.pos(t.off)}
	}
	g := m.group(mdLine{off: t.off}, cols.lang)
	if g == nil {
		return
	}
	for i, row := range t.rows {
		if i == hi {
			continue
		}
		if row.head {
			m.warnf(m.src.pos(row.off), "a second header row in this table is read as a row")
		}
		if c := row.spanning(); c != nil {
			m.errorf(m.src.pos(c.spanAt), "this cell spans several columns or rows (colspan or rowspan): portspec reads one cell per column in every row; write the row out in full")
			m.damaged[g.ID] = true
			continue
		}
		cells := make([]cell, len(row.cells))
		for j, c := range row.cells {
			text := c.plainText()
			if j == cols.purpose {
				text = c.markdown()
			}
			cells[j] = cell{text: []byte(text), off: c.off}
		}
		if !m.rowCells(g, cells, m.src.pos(row.off), len(header.cells), cols) {
			m.damaged[g.ID] = true
		}
	}
}

type htmlTable struct {
	off         int
	rows        []*htmlRow
	section     string // the open thead, tbody or tfoot
	caption     *htmlText
	captionText string
}

func (t *htmlTable) cell() *htmlCell {
	if n := len(t.rows); n > 0 {
		r := t.rows[n-1]
		if k := len(r.cells); k > 0 && r.cells[k-1].open && !r.closed {
			return r.cells[k-1]
		}
	}
	return nil
}

func (t *htmlTable) closeRow() {
	if n := len(t.rows); n > 0 {
		t.rows[n-1].closeCell()
		t.rows[n-1].closed = true
	}
}

type htmlRow struct {
	off    int
	head   bool // in <thead>
	cells  []*htmlCell
	closed bool
}

func (r *htmlRow) closeCell() {
	if n := len(r.cells); n > 0 {
		r.cells[n-1].open = false
	}
}

// spanning returns the first cell that spans more than one column or row.
func (r *htmlRow) spanning() *htmlCell {
	for _, c := range r.cells {
		if c.colspan > 1 || c.rowspan > 1 {
			return c
		}
	}
	return nil
}

type htmlCell struct {
	htmlText
	off              int // where the content starts
	spanAt           int // the start tag
	th, open         bool
	nested           int // depth of tables inside the cell (read as text)
	colspan, rowspan int
}
