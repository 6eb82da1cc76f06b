package parser

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// readText reads a text copy of the page: what a browser puts on the
// clipboard when a table is copied (cells separated by tabs, rows by line
// ends, the heading lines above as text), or a plain-text rendering where
// cells are separated by runs of spaces (a terminal browser's dump, an
// email). A table starts at a header line naming Port, Protocol and
// Purpose; its group is the line directly above the header. In the
// space-aligned form each row is anchored on its protocol token (TCP, UDP,
// ICMP, TCP/UDP): what comes before it is the ports, what follows the
// purpose. A line without cells right after a row continues that row's
// purpose (a long purpose wrapped, or a cell of several paragraphs).
func readText(r *reader) {
	m := &mdReader{reader: r, groups: map[*mdHeading]int{}, form: formText}
	lines := textLines(r.src)
	var heads []int
	for i, l := range lines {
		if len(l.text) == 0 || hasPipe(l.text) {
			continue
		}
		if _, ok := textHeader(l.text, l.off); ok {
			heads = append(heads, i)
		}
	}
	if len(heads) == 0 {
		r.errorf(r.src.lineCol(1, 1), "no port tables found: a text copy needs a header line naming Port, Protocol and Purpose (separated by tabs or spaces) above each table's rows")
		return
	}
	// Each table's title is the last non-blank line above its header; its
	// rows run to the title of the next table.
	titles := make([]int, len(heads))
	for k, h := range heads {
		titles[k] = -1
		floor := -1
		if k > 0 {
			floor = heads[k-1]
		}
		tabbed := bytes.IndexByte(lines[h].text, '\t') >= 0
		for t := h - 1; t > floor; t-- {
			if len(lines[t].text) == 0 {
				continue
			}
			if _, row := textCells(r.src, lines[t], tabbed); !row {
				titles[k] = t // a row right above the header is no title
			}
			break
		}
	}
	for k, h := range heads {
		end := len(lines)
		if k+1 < len(heads) {
			end = heads[k+1]
			if titles[k+1] >= 0 {
				end = titles[k+1]
			}
		}
		if t := titles[k]; t >= 0 {
			m.heading = &mdHeading{text: foldBlank(string(lines[t].text)), pos: r.src.pos(lines[t].off)}
		}
		m.textTable(lines, h, end)
	}
}

// textLines returns the source's lines, trimmed of the line end and of
// trailing blanks, with their offsets; the byte-order mark is not part of
// the first.
func textLines(s *source) []mdLine {
	out := make([]mdLine, 0, len(s.lines))
	for n := 1; n <= len(s.lines); n++ {
		start := s.lines[n-1]
		if n == 1 {
			start += s.bom
		}
		b := s.line(n)
		if n == 1 {
			b = b[min(s.bom, len(b)):]
		}
		// Trailing tabs stay: in a browser's copy a row that ends with a
		// tab has an empty last cell (or one whose paragraphs follow).
		out = append(out, mdLine{text: bytes.TrimRight(b, " \r"), off: start})
	}
	return out
}

// textRow is a row being read: its cells (purpose last among them may grow
// with continuation lines) and where it is.
type textRow struct {
	cells []cell
	off   int
	more  []string // continuation lines of the purpose, each after its separator
}

// textTable reads the table whose header is lines[h]; its rows are the
// lines up to end.
func (m *mdReader) textTable(lines []mdLine, h, end int) {
	head, _ := textHeader(lines[h].text, lines[h].off)
	cols, ok := m.columns(head.cells, lines[h])
	if !ok {
		return
	}
	m.tables++
	g := m.group(lines[h], cols.lang)
	if !head.tabbed && (cols.port != 0 || cols.protocol != 1 || cols.purpose != 2 || len(head.cells) != 3) {
		m.errorf(m.src.pos(lines[h].off), "a space-aligned table is read with the columns Port, Protocol and Purpose in this order and no others (portspec finds each row's cells by its protocol): copy the table with tabs between its cells instead")
		if g != nil {
			m.damaged[g.ID] = true
		}
		return
	}
	if g == nil {
		return
	}
	// A wrapped purpose's lines start under the purpose column: columns
	// count characters, as a terminal shows them.
	purposeCol := utf8.RuneCount(lines[h].text[:head.cells[len(head.cells)-1].off-lines[h].off])
	var rows []textRow
	blank := false // a blank line since the last row or continuation
	stopped := -1  // the line where the table ended, when before end
	for i := h + 1; i < end && stopped < 0; i++ {
		l := lines[i]
		if len(l.text) == 0 {
			blank = true
			continue
		}
		if cells, ok := textCells(m.src, l, head.tabbed); ok {
			rows = append(rows, textRow{cells: cells, off: l.off})
			blank = false
			continue
		}
		// A line without cells: the purpose goes on, or the table ended.
		last := len(rows) - 1
		cont := last >= 0
		if cont && head.tabbed && blank {
			// After a blank line only a row whose purpose cell was empty on
			// its own line goes on: a browser copies a cell of paragraphs
			// that way. Other text after a blank line ends the table.
			cont = len(rows[last].cells[len(rows[last].cells)-1].text) == 0
		}
		if cont && !head.tabbed {
			cont = indent(l) >= purposeCol
		}
		if !cont {
			stopped = i
			break
		}
		sep := " " // a purpose wrapped onto the next line
		switch {
		case blank:
			sep = "\n\n" // a paragraph of the cell
		case head.tabbed:
			sep = "\n" // a line break in the cell
		}
		rows[last].more = append(rows[last].more, sep, foldBlank(string(l.text)))
		blank = false
	}
	for _, row := range rows {
		cells := row.cells
		if len(cells) == len(head.cells) {
			// The purpose is text: kept as markdown that reads back as it.
			p := string(cells[cols.purpose].text) + strings.Join(row.more, "")
			p = strings.TrimLeft(p, " \n")
			cells[cols.purpose].text = []byte(escapeMarkdown(p))
		}
		if !m.rowCells(g, cells, m.src.pos(row.off), len(head.cells), cols) {
			m.damaged[g.ID] = true
		}
	}
	if stopped >= 0 {
		for i := stopped; i < end; i++ {
			if _, ok := textCells(m.src, lines[i], head.tabbed); ok {
				m.errorf(m.src.pos(lines[i].off), "this row comes after the end of the table above (at line %d text that is not a row ended it) and belongs to no table: remove the text between them, or give the row a header", m.src.pos(lines[stopped].off).Line)
				m.damaged[g.ID] = true
				break
			}
		}
	}
}

// textCells splits a line of a text copy into a row's cells: at its tabs
// (tabbed), or around its protocol token (space-aligned: the ports before
// it, the purpose after). ok is false for a line that is not a row: in the
// space-aligned form, one without a protocol token, or whose text before it
// is words rather than ports (a sentence that names a protocol).
func textCells(src *source, l mdLine, tabbed bool) ([]cell, bool) {
	if tabbed {
		if bytes.IndexByte(l.text, '\t') < 0 {
			return nil, false
		}
		return splitTabs(l.text, l.off, nil), true
	}
	words := splitSpaces(l.text, l.off)
	for i, w := range words {
		if _, msg := parseProtocol(string(w.text)); msg != "" {
			continue
		}
		start := l.off + firstNonBlank(l.text) - 1
		port := cell{off: w.off}
		if i > 0 {
			port = trimSpaceCell(src.src[start:w.off], start)
			if !portsLike(string(port.text), i) {
				return nil, false
			}
		}
		purpose := cell{off: w.off + len(w.text)}
		if i+1 < len(words) {
			rest := words[i+1].off
			purpose = cell{text: src.src[rest : l.off+len(l.text)], off: rest}
		}
		return []cell{port, w, purpose}, true
	}
	return nil, false
}

// portsLike reports whether the text before a protocol token is a port
// cell: ports portspec reads, or one word with a digit (a port written
// wrong, reported as such) rather than words of a sentence.
func portsLike(s string, words int) bool {
	if _, msgs := parsePorts(s); len(msgs) == 0 {
		return true
	}
	return words == 1 && strings.ContainsAny(s, "0123456789")
}

// indent is the width of a line's leading blanks, a tab counting as one.
func indent(l mdLine) int { return firstNonBlank(l.text) - 1 }

// foldBlank trims a line and makes every run of blanks one space.
func foldBlank(s string) string { return strings.Join(strings.Fields(s), " ") }

// escapeMarkdown writes plain text as markdown that plainText reads back
// as the same text: the characters that would start markup, an entity or
// an escape are escaped, and so is a list marker at the start of a line.
func escapeMarkdown(s string) string {
	if !strings.ContainsAny(s, "\\`*_[]<&!-+0123456789") {
		return s
	}
	var b strings.Builder
	lineStart := true
	for i := 0; i < len(s); {
		c := s[i]
		if lineStart {
			if n := listMarkerLen(s[i:]); n > 0 {
				b.WriteString(s[i : i+n-2])
				b.WriteByte('\\')
				b.WriteString(s[i+n-2 : i+n])
				i += n
				lineStart = false
				continue
			}
		}
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '&':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '!':
			b.WriteByte(c)
			if i+1 < len(s) && s[i+1] == '[' {
				b.WriteString(`\[`)
				i++
			}
		default:
			_, w := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+w])
			i += w
			lineStart = c == '\n'
			continue
		}
		i++
		lineStart = false
	}
	return b.String()
}

// listMarkerLen returns the length of a list marker with its space ("- ",
// "12. ") at the start of s, or 0.
func listMarkerLen(s string) int {
	t := strings.TrimLeft(s, " ")
	lead := len(s) - len(t)
	if len(t) >= 2 && (t[0] == '-' || t[0] == '+' || t[0] == '*') && t[1] == ' ' {
		return lead + 2
	}
	i := 0
	for i < len(t) && i < 9 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(t) && (t[i] == '.' || t[i] == ')') && t[i+1] == ' ' {
		return lead + i + 2
	}
	return 0
}
