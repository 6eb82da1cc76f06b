package parser

import (
	"bytes"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/portspec/portspec/spec"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// mdReader reads port tables out of a markdown document. A port table is a
// GFM pipe table whose header names a Port, a Protocol and a Purpose column
// (Порт, Протокол, Назначение in Russian). Its group is the heading above
// it: a markdown heading, or, in the text capture of the rendered page, a
// bare title line directly above the table's header row.
type mdReader struct {
	*reader
	base    int // offset of the text goldmark reads (after a front matter)
	heading *mdHeading
	groups  map[*mdHeading]int // heading → index in doc.Groups
	tables  int                // port tables seen
	include *includeRef        // first Liquid include seen
	cells   []cell             // reused row buffer
	lineBuf []mdLine           // reused by paragraph for its lines
	form    form               // the input's form, for the wording of hints
	para    ast.Node           // the paragraph being read (markdown)
	last    lastTable          // the last port table read, for the truncation check
}

type mdHeading struct {
	text string
	pos  token.Position
}

type includeRef struct {
	file string
	pos  token.Position
}

func readMarkdown(r *reader) {
	m := &mdReader{reader: r, groups: map[*mdHeading]int{}}
	src := r.src.src[r.src.bom:]
	m.base = r.src.bom + frontMatterLen(src)
	body := r.src.src[m.base:]
	root := blockParser().Parse(text.NewReader(body))
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if m.tableInHeading(n, body) {
				return ast.WalkSkipChildren, nil
			}
			m.setHeading(n.Lines(), body)
			return ast.WalkSkipChildren, nil
		case *rawParagraph, *ast.Paragraph:
			m.para = n
			m.paragraph(n.Lines(), body)
			m.para = nil
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			m.htmlBlock(n, body)
		}
		return ast.WalkContinue, nil
	})
	switch {
	case m.tables == 0 && m.include != nil && strings.Contains(m.include.file, "network_security_setup"):
		r.errorf(m.include.pos, "this page holds no port tables: Jekyll inserts them at build time with this include (%s) from the data file docs/documentation/_data/deckhouse-ports.yml; parse that file instead (portspec parse deckhouse-ports.yml)", m.include.file)
	case m.tables == 0 && m.include != nil:
		r.errorf(m.include.pos, "this page holds no port tables; this include (%s) may insert them at build time: parse the built page or its data file instead", m.include.file)
	case m.tables == 0:
		r.errorf(r.src.lineCol(1, 1), "no port tables found: expected markdown tables with the columns Port | Protocol | Purpose, each under a heading")
	case m.include != nil:
		r.warnf(m.include.pos, "the include %s adds content at build time that this file does not hold", m.include.file)
	}
	m.checkLastRow()
}

// frontMatterLen returns the length of a Jekyll front matter ("---" line,
// YAML, "---" line) at the start of src, or 0.
func frontMatterLen(src []byte) int {
	first, rest, ok := bytes.Cut(src, []byte("\n"))
	if !ok || string(bytes.TrimRight(first, " \r")) != "---" {
		return 0
	}
	off := len(first) + 1
	for len(rest) > 0 {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		off += len(line) + 1
		if t := string(bytes.TrimRight(line, " \r")); t == "---" || t == "..." {
			return min(off, len(src))
		}
		if hasPipe(line) && !bytes.Contains(line, []byte(": ")) {
			return 0 // a table row is not YAML: this "---" was a rule, not a front matter
		}
		rest = next
	}
	return 0 // not closed: not a front matter
}

// lines returns a block's lines, trimmed, with their source offsets.
func (m *mdReader) lines(segs *text.Segments, body []byte) []mdLine {
	return m.appendLines(make([]mdLine, 0, segs.Len()), segs, body)
}

// appendLines appends a block's lines, trimmed, with their source offsets.
func (m *mdReader) appendLines(out []mdLine, segs *text.Segments, body []byte) []mdLine {
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		b := s.Value(body)
		off := m.base + s.Start
		for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
			b, off = b[1:], off+1
		}
		b = bytes.TrimRight(b, " \t\r\n")
		out = append(out, mdLine{text: b, off: off})
	}
	return out
}

var hugoAttr = regexp.MustCompile(`\s*\{#[^}]*\}\s*$`)

func (m *mdReader) setHeading(segs *text.Segments, body []byte) {
	ls := m.lines(segs, body)
	if len(ls) == 0 {
		m.heading = nil
		return
	}
	var parts []string
	for _, l := range ls {
		parts = append(parts, string(l.text))
	}
	t := hugoAttr.ReplaceAllString(strings.Join(parts, " "), "")
	lineStart := m.src.pos(ls[0].off)
	pos := m.src.lineCol(lineStart.Line, firstNonBlank(m.src.line(lineStart.Line)))
	m.heading = &mdHeading{text: plainText(t), pos: pos}
}

var liquidInclude = regexp.MustCompile(`\{%-?\s*include\s+([^\s%]+)[^%]*-?%\}`)

// paragraph finds the tables in a paragraph's lines. goldmark sees a table
// and the title lines around it as one paragraph when no blank line
// separates them (the text capture of the page is a single paragraph), so
// tables are found here, line by line: a row with pipes followed by a
// delimiter row starts a table, and a pipe-less line directly above that
// header is the table's title.
func (m *mdReader) paragraph(segs *text.Segments, body []byte) {
	// One buffer for every paragraph's lines: nothing keeps them after the
	// paragraph (a port table's rows, a heading or an include are copied).
	if cap(m.lineBuf) < segs.Len() {
		m.lineBuf = make([]mdLine, 0, segs.Len())
	}
	ls := m.appendLines(m.lineBuf[:0], segs, body)
	m.lineBuf = ls
	for i := 0; i < len(ls); {
		if m.include == nil && bytes.Contains(ls[i].text, []byte("{%")) {
			if loc := liquidInclude.FindSubmatchIndex(ls[i].text); loc != nil {
				m.include = &includeRef{file: string(ls[i].text[loc[0]:loc[1]]), pos: m.src.pos(ls[i].off + loc[0])}
			}
		}
		if !isHeaderAt(ls, i) {
			m.strayRow(ls, i)
			i++
			continue
		}
		if i > 0 && !hasPipe(ls[i-1].text) {
			p := m.src.pos(ls[i-1].off)
			m.heading = &mdHeading{text: plainText(string(ls[i-1].text)), pos: p}
		}
		i = m.table(ls, i)
	}
}

// isHeaderAt reports whether ls[i] starts a table (a row then a delimiter).
func isHeaderAt(ls []mdLine, i int) bool {
	if i+1 >= len(ls) || !hasPipe(ls[i].text) {
		return false
	}
	ok, _ := isDelimiterRow(ls[i+1].text)
	return ok
}

// isTitleAt reports whether ls[i] is a bare title line above a table.
func isTitleAt(ls []mdLine, i int) bool {
	return !hasPipe(ls[i].text) && isHeaderAt(ls, i+1)
}

// table reads the table whose header is ls[h] and returns the index of the
// first line after it.
func (m *mdReader) table(ls []mdLine, h int) int {
	header := splitRow(ls[h], nil)
	_, ndelim := isDelimiterRow(ls[h+1].text)
	end := h + 2
	// As in GFM, every following line of the paragraph is a row, up to the
	// next table's title or header.
	for end < len(ls) && !isHeaderAt(ls, end) && !isTitleAt(ls, end) {
		end++
	}
	cols, ok := m.columns(header, ls[h])
	if !ok {
		return end
	}
	m.tables++
	g := m.group(ls[h], cols.lang)
	if ndelim != len(header) {
		m.errorf(m.src.pos(ls[h+1].off), "the delimiter row has %d cells but the header above it has %d: make them equal (markdown then reads no table here at all)", ndelim, len(header))
		if g != nil {
			m.damaged[g.ID] = true
		}
		return end
	}
	if g == nil {
		return end
	}
	g.Rules = slices.Grow(g.Rules, end-h-2)
	m.purposes.reserve(end - h - 2)
	m.ports.reserve(end - h - 2)
	m.last = newLastTable(ls[h], ls[h+2:end])
	for j := h + 2; j < end; j++ {
		if !m.row(g, ls[j], ls[j-1], len(header), cols) {
			m.damaged[g.ID] = true
		}
	}
	return end
}

// tableColumns says which column of a port table holds what.
type tableColumns struct {
	port, protocol, purpose int
	lang                    string
}

var columnNames = map[string]struct {
	col  string
	lang string
}{
	"port": {"port", "en"}, "ports": {"port", "en"}, "port range": {"port", "en"}, "port(s)": {"port", "en"},
	"protocol": {"protocol", "en"}, "purpose": {"purpose", "en"}, "description": {"purpose", "en"},
	"порт": {"port", "ru"}, "порты": {"port", "ru"}, "протокол": {"protocol", "ru"},
	"назначение": {"purpose", "ru"}, "описание": {"purpose", "ru"},
}

// columns recognises a port table by its header. Another table is reported
// as a warning and skipped.
func (m *mdReader) columns(header []cell, l mdLine) (tableColumns, bool) {
	c := tableColumns{port: -1, protocol: -1, purpose: -1}
	var names, extra []string
	seen := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(plainText(string(h.text)))
		names = append(names, name)
		cn, ok := columnNames[name]
		if !ok {
			extra = append(extra, name)
			continue
		}
		if j, twice := seen[cn.col]; twice {
			m.columnTwice(header, j, i, cn.col)
			return c, false
		}
		seen[cn.col] = i
		switch cn.col {
		case "port":
			c.port, c.lang = i, cn.lang
		case "protocol":
			c.protocol = i
		case "purpose":
			c.purpose = i
		}
	}
	pos := m.src.pos(l.off)
	if c.port < 0 || c.protocol < 0 || c.purpose < 0 {
		m.warnf(pos, "table with columns %q is not a port table (Port | Protocol | Purpose): skipped", names)
		return c, false
	}
	if len(extra) > 0 {
		m.warnf(pos, "columns %q of this port table are not read: portspec reads Port, Protocol and Purpose", extra)
	}
	m.addLang(c.lang)
	return c, true
}

// group returns the group of the current heading for a table whose header is
// l, creating it on the heading's first table, or nil when the table has no
// usable heading (reported).
func (m *mdReader) group(l mdLine, lang string) *spec.Group {
	h := m.heading
	if h == nil {
		m.errorf(m.src.pos(l.off), "port table without a heading: put a heading (%s) above it", m.headingHint())
		return nil
	}
	if i, ok := m.groups[h]; ok {
		if i < 0 {
			return nil
		}
		return &m.doc.Groups[i]
	}
	id, known := spec.GroupForHeading(h.text)
	if !known {
		id = spec.DerivedGroupID(h.text)
	}
	if prev := m.doc.Group(id); prev != nil {
		m.errorf(h.pos, "heading %q is group %s, which an earlier heading already holds (at %s): merge the two tables", h.text, id, prev.Pos)
		m.groups[h] = -1
		return nil
	}
	g := newGroup(id, h.pos)
	if !known {
		// An unknown heading's table is kept, never dropped, but its roles
		// are unknown: generators must not guess who may talk to whom.
		g.Known, g.From, g.To, g.Direction = false, spec.RoleUnknown, spec.RoleUnknown, spec.DirectionUnknown
		m.warnf(h.pos, "heading %q is not one of the page's known sections: its table is kept as group %s with unknown roles (add the wording to the alias table in spec/groups.go if it names a known group)", h.text, id)
	}
	g.Titles[lang] = h.text
	m.doc.Groups = append(m.doc.Groups, g)
	m.groups[h] = len(m.doc.Groups) - 1
	return &m.doc.Groups[len(m.doc.Groups)-1]
}
