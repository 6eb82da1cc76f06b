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
	lines []int // byte offset of the start of each line
	bom   int   // length of a leading byte-order mark
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
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	col := off - s.lines[line] + 1
	if line == 0 && s.bom > 0 {
		col = max(1, col-s.bom)
	}
	return token.Position{Filename: s.name, Offset: off, Line: line + 1, Column: col}
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
