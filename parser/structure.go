package parser

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// The places where markdown drops a table row without a word, each turned
// into a finding: a row after a blank line, in a list item or in an HTML
// block; a table that a following "---" makes a setext heading; a header
// that names a column twice. And the form words the hints of every table
// reader (markdown, HTML, text copies).

// form is the shape of the input a table reader reads.
type form uint8

const (
	formMarkdown form = iota
	formHTML
	formText
)

// emptyCell says how an empty cell is written in the input's form.
func (m *mdReader) emptyCell() string {
	switch m.form {
	case formHTML:
		return "<td></td>"
	case formText:
		return "nothing between two tabs"
	}
	return "| |"
}

// headingHint shows a heading above a table in the input's form.
func (m *mdReader) headingHint() string {
	switch m.form {
	case formHTML:
		return "<h2>Master to master nodes traffic</h2>, or a <caption>"
	case formText:
		return "a line \"Master to master nodes traffic\" right above the header line"
	}
	return "## Master to master nodes traffic"
}

// lastTable is what the truncation check needs of the last port table
// read (not its rows: the lines of a paragraph are in a buffer the next
// paragraph reuses).
type lastTable struct {
	header mdLine
	last   mdLine // the last row, when rows > 0
	rows   int
	// closed says whether every row but the last ends with a pipe.
	closed bool
}

// newLastTable records the table whose header is header and rows rows.
func newLastTable(header mdLine, rows []mdLine) lastTable {
	t := lastTable{header: header, rows: len(rows), closed: true}
	if len(rows) == 0 {
		return t
	}
	t.last = rows[len(rows)-1]
	for _, r := range rows[:len(rows)-1] {
		if !closedRow(r) {
			t.closed = false
			break
		}
	}
	return t
}

// closedRow reports whether a row ends with a pipe (not an escaped one).
func closedRow(l mdLine) bool {
	return bytes.HasSuffix(l.text, []byte("|")) && !bytes.HasSuffix(l.text, []byte(`\|`))
}

// tableInHeading handles a setext heading whose text lines hold a table: a
// "---" line right below a table's last row makes the whole table the
// heading's text in CommonMark, while GFM ends the table there and draws a
// rule. The table is read as GFM does (the line below it is a rule, not a
// heading), with a warning, since other renderers lose it. It reports
// whether the heading was such a table.
func (m *mdReader) tableInHeading(h *ast.Heading, body []byte) bool {
	ls := m.lines(h.Lines(), body)
	found := false
	for i := range ls {
		if isHeaderAt(ls, i) {
			found = true
			break
		}
	}
	if !found {
		return false
	}
	last := ls[len(ls)-1]
	under := m.src.pos(last.off).Line + 1
	m.warnf(m.src.lineCol(under, firstNonBlank(m.src.line(under))), "this line right below a table makes the table a heading in CommonMark (a setext underline): portspec reads the table as GFM does, but put a blank line above the line so that every renderer shows the table")
	m.paragraph(h.Lines(), body)
	return true
}

// htmlBlock reports table rows inside an HTML block: markdown reads none of
// the block's lines (it runs to the next blank line), so a table there is
// not rendered as one.
func (m *mdReader) htmlBlock(n *ast.HTMLBlock, body []byte) {
	ls := m.lines(n.Lines(), body)
	for i, l := range ls {
		if isHeaderAt(ls, i) {
			m.errorf(m.src.pos(l.off), "a table inside an HTML block (it starts at line %d and runs to the next blank line) is not read by markdown: put a blank line between the HTML tag and the table", m.src.pos(ls[0].off).Line)
			return
		}
		if looksLikePortRow(l) {
			m.errorf(m.src.pos(l.off), "a table row inside an HTML block (it starts at line %d and runs to the next blank line) is not read by markdown: put a blank line between the HTML tag and the row, and give the row a table", m.src.pos(ls[0].off).Line)
			return
		}
	}
}

// strayRow reports ls[i] when it is a port row outside every table:
// markdown shows it as a line of text, so its ports would be lost without a
// word.
func (m *mdReader) strayRow(ls []mdLine, i int) {
	l := ls[i]
	if !looksLikePortRow(l) {
		return
	}
	pos := m.src.pos(l.off)
	if i > 0 {
		// Within one paragraph a row directly after the table's rows would
		// be one of them; after other lines it belongs to no table.
		m.errorf(pos, "this row belongs to no table (no header and delimiter row above it in its paragraph): add the header rows, or join it to the table it belongs to")
		return
	}
	if m.para != nil && m.para.Parent() != nil && m.para.Parent().Kind() == ast.KindListItem {
		m.errorf(pos, "this table row is inside a list item and belongs to no table: markdown shows it as text; move it out of the list, into its table")
		return
	}
	if m.last.rows > 0 {
		end := m.src.pos(m.last.last.off).Line
		blank := true
		for n := end + 1; n < pos.Line; n++ {
			if len(bytes.TrimSpace(m.src.line(n))) != 0 {
				blank = false
				break
			}
		}
		if blank && end < pos.Line {
			m.errorf(pos, "a blank line (line %d) ends the table above: this row and the ones after it are not part of it; remove the blank line", end+1)
			return
		}
	}
	m.errorf(pos, "this row belongs to no table (no header and delimiter row above it): add the header rows (| Port | Protocol | Purpose | and |---|---|---|)")
}

// looksLikePortRow reports whether a line is a pipe row with a protocol in
// one cell and ports (or nothing) in another: a row of a port table.
func looksLikePortRow(l mdLine) bool {
	if !hasPipe(l.text) {
		return false
	}
	cells := splitRow(l, nil)
	if len(cells) < 3 {
		return false
	}
	proto, ports := -1, -1
	for i, c := range cells {
		s := string(c.text)
		if _, msg := parseProtocol(s); msg == "" && proto < 0 {
			proto = i
			continue
		}
		if ps, msgs := parsePorts(s); len(msgs) == 0 && len(ps) > 0 && ports < 0 {
			ports = i
		}
	}
	return proto >= 0 && (ports >= 0 || strings.EqualFold(string(cells[proto].text), "ICMP"))
}

// columnTwice reports a header that names one column twice: reading either
// cell would drop the other without a word.
func (m *mdReader) columnTwice(header []cell, first, second int, col string) {
	m.errorf(m.src.pos(header[second].off), "the header names the %s column twice (cells %d and %d, %q and %q): portspec cannot tell which one to read; rename or remove one", col, first+1, second+1, plainText(string(header[first].text)), plainText(string(header[second].text)))
}

// checkLastRow marks the document partial when its last port table's last
// row is the last line of the input and stops short: it lacks the closing
// pipe every other line of its table has.
func (m *mdReader) checkLastRow() {
	if m.last.rows == 0 {
		return
	}
	row := m.last.last
	rest := m.src.src[min(row.off+len(row.text), len(m.src.src)):]
	if len(bytes.TrimSpace(rest)) != 0 {
		return // more text follows: the copy did not stop in this row
	}
	if !closedRow(m.last.header) || closedRow(row) || !hasPipe(row.text) || !m.last.closed {
		return
	}
	m.partialf(m.src.pos(row.off+len(row.text)), "the document ends inside the last row of its last table (the row lacks the closing | every other row has): it looks cut short")
}
