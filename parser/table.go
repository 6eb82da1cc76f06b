package parser

import (
	"bytes"
)

// mdLine is one line of a paragraph, trimmed of surrounding white space and
// its line end, with the byte offset of its first byte in the source.
type mdLine struct {
	text []byte
	off  int
}

// cell is one cell of a table row: its text without the surrounding white
// space, and the offset of that text (of the place it would be, when empty).
type cell struct {
	text []byte
	off  int
}

// hasPipe reports whether a line holds an unescaped |, which every table row
// does (GFM tables may omit the outer pipes, never the inner ones).
func hasPipe(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '|':
			return true
		}
	}
	return false
}

// splitRow splits a table row into cells at unescaped pipes. A leading and a
// trailing pipe are optional, as in GFM. cells is reused when it has room.
func splitRow(l mdLine, cells []cell) []cell {
	b, off := l.text, l.off
	if len(b) > 0 && b[0] == '|' {
		b, off = b[1:], off+1
	}
	if endsWithPipe(b) {
		b = b[:len(b)-1]
	}
	cells = cells[:0]
	start := 0
	if bytes.IndexByte(b, '\\') < 0 {
		// No escapes, as in nearly every row: every pipe ends a cell, and
		// IndexByte finds them faster than a look at each byte.
		for {
			i := bytes.IndexByte(b[start:], '|')
			if i < 0 {
				return append(cells, trimCell(b[start:], off+start))
			}
			cells = append(cells, trimCell(b[start:start+i], off+start))
			start += i + 1
		}
	}
	for i := 0; i <= len(b); i++ {
		if i < len(b) {
			if b[i] == '\\' {
				i++
				continue
			}
			if b[i] != '|' {
				continue
			}
		}
		cells = append(cells, trimCell(b[start:min(i, len(b))], off+start))
		start = i + 1
	}
	return cells
}

// endsWithPipe reports whether b ends with an unescaped pipe: one after an
// even number of backslashes (`a \\|` ends a cell, `a \|` does not).
func endsWithPipe(b []byte) bool {
	n := len(b)
	if n == 0 || b[n-1] != '|' {
		return false
	}
	backslashes := 0
	for i := n - 2; i >= 0 && b[i] == '\\'; i-- {
		backslashes++
	}
	return backslashes%2 == 0
}

func trimCell(b []byte, off int) cell {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	j := len(b)
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t') {
		j--
	}
	if i == len(b) && i > 0 {
		i = 1 // an empty cell's place is just after its pipe and one space
	}
	return cell{text: b[i:j], off: off + i}
}

// isDelimiterRow reports whether a line is a GFM delimiter row such as
// "|---|:---:|" or "---|---|---|", and how many cells it has. It is called
// on every line of every paragraph, so it does not allocate.
func isDelimiterRow(b []byte) (bool, int) {
	if !hasPipe(b) {
		return false, 0
	}
	if len(b) > 0 && b[0] == '|' {
		b = b[1:]
	}
	if n := len(b); n > 0 && b[n-1] == '|' {
		b = b[:n-1]
	}
	cells := 0
	for len(b) > 0 || cells == 0 {
		var c []byte
		if i := bytes.IndexByte(b, '|'); i >= 0 {
			c, b = b[:i], b[i+1:]
			if len(b) == 0 {
				return false, 0 // "--||" leaves an empty cell
			}
		} else {
			c, b = b, nil
		}
		c = bytes.Trim(c, " \t")
		c = bytes.TrimPrefix(c, []byte(":"))
		c = bytes.TrimSuffix(c, []byte(":"))
		if len(c) == 0 || len(bytes.Trim(c, "-")) != 0 {
			return false, 0
		}
		cells++
	}
	return true, cells
}

// unescapePipes returns a cell's text with its \| turned back into |, as
// GFM does before it reads the cell's inline markdown. A cell without one
// that is a piece of the source (every cell of a markdown row) is a
// substring of the source's text: no copy of its own.
func (r *reader) unescapePipes(c cell) string {
	b := c.text
	if bytes.IndexByte(b, '\\') >= 0 {
		return string(bytes.ReplaceAll(b, []byte(`\|`), []byte(`|`)))
	}
	return r.src.str(c)
}
