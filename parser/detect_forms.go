package parser

import (
	"bytes"
	"iter"
	"net/url"
	"strings"
)

// eachLine yields the lines of b without their "\n" (a final line
// without one too).
func eachLine(b []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		for len(b) > 0 {
			line := b
			if i := bytes.IndexByte(b, '\n'); i >= 0 {
				line, b = b[:i], b[i+1:]
			} else {
				b = nil
			}
			if !yield(line) {
				return
			}
		}
	}
}

// nameOnly returns the path of a source name, without the query and
// fragment a URL may have, for the extension check.
func nameOnly(name string) string {
	if hasScheme(name) {
		if u, err := url.Parse(name); err == nil {
			return u.Path
		}
	}
	return name
}

// htmlStarts are how an HTML page (or a saved fragment of one) begins.
var htmlStarts = []string{"<!doctype html", "<html", "<head", "<body", "<table", "<?xml"}

// looksLikeHTML reports whether src starts, after a byte-order mark, white
// space and comments, as an HTML document or an HTML table does, or is a
// fragment of HTML that holds a table.
func looksLikeHTML(src []byte) bool {
	b := bytes.TrimPrefix(src, utf8BOM)
	for range 100 { // comments before the first tag; bounded
		b = bytes.TrimLeft(b, " \t\r\n\f")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			break
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return false
		}
		b = b[end+3:]
	}
	head := strings.ToLower(string(b[:min(len(b), 16)]))
	for _, s := range htmlStarts {
		if strings.HasPrefix(head, s) {
			return true
		}
	}
	// A fragment (a renderer's output, a part of a page) that starts with
	// a tag and holds an HTML table, and no markdown pipe table.
	return len(b) > 0 && b[0] == '<' && hasHTMLTable(b) && !hasPipeTable(b)
}

// hasHTMLTable reports whether b holds a <table> start tag.
func hasHTMLTable(b []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return false
		}
		i += j + 1
		if len(b)-i >= 5 && strings.EqualFold(string(b[i:i+5]), "table") && (len(b) == i+5 || b[i+5] == '>' || isBlank(b[i+5]) || b[i+5] == '\n') {
			return true
		}
	}
}

// hasPipeTable reports whether b holds a line that is a markdown table's
// delimiter row.
func hasPipeTable(b []byte) bool {
	for line := range eachLine(b) {
		if ok, _ := isDelimiterRow(bytes.TrimSpace(line)); ok {
			return true
		}
	}
	return false
}

// looksLikeText reports whether src is a text copy of port tables: a line
// that is a port table's header with its cells separated by tabs or by runs
// of spaces, and no pipe table anywhere (a markdown table's header row has
// pipes).
func looksLikeText(src []byte) bool {
	found := false
	for line := range eachLine(bytes.TrimPrefix(src, utf8BOM)) {
		line = bytes.TrimRight(line, "\r")
		if ok, _ := isDelimiterRow(bytes.TrimSpace(line)); ok {
			return false
		}
		if !found && !hasPipe(line) {
			if _, ok := textHeader(line, 0); ok {
				found = true
			}
		}
	}
	return found
}

// textHeader reads a line of a text copy as a port table's header: cells
// separated by tabs (a browser's copy) or by runs of white space
// (space-aligned text), naming a Port, a Protocol and a Purpose column.
// off is the line's offset in the source.
func textHeader(line []byte, off int) (textHead, bool) {
	h := textHead{tabbed: bytes.IndexByte(line, '\t') >= 0}
	if h.tabbed {
		h.cells = splitTabs(line, off, nil)
	} else {
		h.cells = splitSpaces(line, off)
	}
	var port, proto, purpose bool
	for _, c := range h.cells {
		cn, ok := columnNames[strings.ToLower(string(c.text))]
		if !ok {
			continue
		}
		switch cn.col {
		case "port":
			port = true
		case "protocol":
			proto = true
		case "purpose":
			purpose = true
		}
	}
	return h, port && proto && purpose
}

// textHead is the header line of a table in a text copy.
type textHead struct {
	cells  []cell
	tabbed bool
}

// splitTabs splits a line at its tabs into trimmed cells.
func splitTabs(line []byte, off int, cells []cell) []cell {
	cells = cells[:0]
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] != '\t' {
			continue
		}
		cells = append(cells, trimSpaceCell(line[start:i], off+start))
		start = i + 1
	}
	return cells
}

// splitSpaces splits a line into the words its white space separates; a
// header's column names are single words in every language the page has,
// except "port range" and "port(s)", which are joined back.
func splitSpaces(line []byte, off int) []cell {
	var cells []cell
	i := 0
	for i < len(line) {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		j := i
		for j < len(line) && !isBlank(line[j]) {
			j++
		}
		if j > i {
			cells = append(cells, cell{text: line[i:j], off: off + i})
		}
		i = j
	}
	// "Port range": two words, one column.
	for k := 0; k+1 < len(cells); k++ {
		if strings.EqualFold(string(cells[k].text), "port") && strings.EqualFold(string(cells[k+1].text), "range") {
			end := cells[k+1].off - off + len(cells[k+1].text)
			cells[k].text = line[cells[k].off-off : end]
			cells = append(cells[:k+1], cells[k+2:]...)
		}
	}
	return cells
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// trimSpaceCell trims blanks (and a non-breaking space, which browsers copy
// from an empty-looking cell) around a cell.
func trimSpaceCell(b []byte, off int) cell {
	i, j := 0, len(b)
	for i < j {
		switch {
		case isBlank(b[i]) || b[i] == '\r':
			i++
			continue
		case bytes.HasPrefix(b[i:], []byte("\u00a0")):
			i += 2
			continue
		}
		break
	}
	for j > i {
		switch {
		case isBlank(b[j-1]) || b[j-1] == '\r':
			j--
			continue
		case bytes.HasSuffix(b[i:j], []byte("\u00a0")):
			j -= 2
			continue
		}
		break
	}
	return cell{text: b[i:j], off: off + i}
}
