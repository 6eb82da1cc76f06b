package parser

import (
	"bytes"

	"github.com/portspec/portspec/internal/yamlerr"
)

// yamlError reports a YAML syntax error. yaml.v3 gives only a line (read by
// yamlerr.Split, which portspec.yaml's reader uses too); the column is that
// line's first non-blank. For parser errors ("did not find expected …") the
// line is where the enclosing block starts, often far from the mistake, so
// two checks then point at the usual culprits: a list item indented
// differently from its siblings, and a quoted value that is not closed on
// its line.
func (r *reader) yamlError(err error) {
	line, msg := yamlerr.Split(err)
	line = min(max(line, 1), len(r.src.lines))
	r.errorf(r.src.lineCol(line, firstNonBlank(r.src.line(line))), "invalid YAML: %s (in the block that starts here)", msg)
	r.yamlHints()
}

func firstNonBlank(b []byte) int {
	return len(b) - len(bytes.TrimLeft(b, " \t")) + 1
}

// yamlHints looks for misindented list items and unclosed quotes.
func (r *reader) yamlHints() {
	var lists []int // indents of the open lists, outermost first
	for n := 1; n <= len(r.src.lines); n++ {
		b := r.src.line(n)
		t := bytes.TrimLeft(b, " ")
		d := len(b) - len(t)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		if t[0] == '-' && (len(t) == 1 || t[1] == ' ') {
			for len(lists) > 0 && lists[len(lists)-1] > d {
				lists = lists[:len(lists)-1]
			}
			switch {
			case len(lists) == 0 || lists[len(lists)-1] < d && d >= lists[len(lists)-1]+2:
				lists = append(lists, d)
			case lists[len(lists)-1] < d:
				r.errorf(r.src.lineCol(n, d+1), "list item indented by %d spaces, the items above it by %d: indent it like its siblings", d, lists[len(lists)-1])
			}
			t = bytes.TrimLeft(t[1:], " ")
		}
		if i := bytes.Index(t, []byte(`: "`)); i >= 0 && isKey(t[:i]) && !closedQuote(t[i+3:]) {
			col := len(b) - len(t) + i + 3
			r.errorf(r.src.lineCol(n, col), "quoted value is not closed on this line: add the closing \"")
		}
	}
}

func isKey(b []byte) bool {
	for _, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return len(b) > 0
}

// closedQuote reports whether a double-quoted YAML scalar whose opening quote
// came just before b ends on this line.
func closedQuote(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return true
		}
	}
	return false
}
