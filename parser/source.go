package parser

import (
	"bytes"
	"go/token"
	"sort"
)

// utf8BOM is the byte-order mark some editors put at the start of a file.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// source is one input with the index that turns byte offsets into
// file:line:col positions. Columns count bytes, as go/token does; a BOM does
// not count.
type source struct {
	name  string
	src   []byte
	lines []int  // byte offset of the start of each line
	bom   int    // length of a leading byte-order mark
	last  int    // the 0-based line of the last pos: rows are read in order
	text  string // src as a string, made by the first str that needs it
}

// str returns a cell's text as a string. When the cell is a piece of the
// source, as a markdown row's cells are, it is a substring of the source
// as a string: one copy of the source for all of a document's cells
// instead of one for each (their strings then keep that one copy alive,
// about the document's size). Any other cell (one built from HTML, say)
// is copied.
func (s *source) str(c cell) string {
	b := c.text
	if len(b) == 0 {
		return ""
	}
	if c.off < 0 || c.off+len(b) > len(s.src) || &s.src[c.off] != &b[0] {
		return string(b)
	}
	if s.text == "" {
		s.text = string(s.src)
	}
	return s.text[c.off : c.off+len(b)]
}

func newSource(name string, src []byte) *source {
	s := &source{name: name, src: src}
	if bytes.HasPrefix(src, utf8BOM) {
		s.bom = len(utf8BOM)
	}
	n := bytes.Count(src, []byte{'\n'})
	s.lines = make([]int, 1, n+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		s.lines = append(s.lines, i)
	}
	return s
}

// pos returns the position of byte offset off.
func (s *source) pos(off int) token.Position {
	line := s.last
	if !s.onLine(line, off) {
		if line++; !s.onLine(line, off) { // the next row's line
			line = max(0, sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off })-1)
		}
	}
	s.last = line
	col := off - s.lines[line] + 1
	if line == 0 && s.bom > 0 {
		col = max(1, col-s.bom)
	}
	return token.Position{Filename: s.name, Offset: off, Line: line + 1, Column: col}
}

// onLine reports whether byte offset off is on 0-based line n.
func (s *source) onLine(n, off int) bool {
	return n < len(s.lines) && s.lines[n] <= off && (n+1 == len(s.lines) || off < s.lines[n+1])
}

// lineCol returns the position of a 1-based line and column.
func (s *source) lineCol(line, col int) token.Position {
	off := 0
	if line >= 1 && line <= len(s.lines) {
		off = s.lines[line-1] + col - 1
	}
	return token.Position{Filename: s.name, Offset: off, Line: line, Column: col}
}

// line returns the text of a 1-based line without its line end.
func (s *source) line(n int) []byte {
	if n < 1 || n > len(s.lines) {
		return nil
	}
	start := s.lines[n-1]
	end := len(s.src)
	if n < len(s.lines) {
		end = s.lines[n] - 1
	}
	return bytes.TrimRight(s.src[start:end], "\r")
}
