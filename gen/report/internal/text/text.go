// Package text is what the report family's writers (gen/report and
// gen/report/changes) share about text: the labels in each language, and
// how document text is made safe to show (Display) and to put in a
// spreadsheet cell (Cell).
package text

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// Display makes document text safe to show on one line: gen.OneLine (no
// control character or line break survives), and every bidirectional
// control (embeddings, overrides, isolates and marks) written as a visible
// "[U+202E]", so that a purpose can neither reorder what a reader sees
// around it nor hide text.
func Display(s string) string {
	if plainASCII(s) {
		return s // what display returns for it, without its copy
	}
	return display(s)
}

// plainASCII reports whether s is printable ASCII with single spaces
// between its words: a text display returns as it is.
func plainASCII(s string) bool {
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ') {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' || c > '~' || c == ' ' && s[i-1] == ' ' {
			return false
		}
	}
	return true
}

func display(s string) string {
	// The bidi controls are made visible first: gen.OneLine would replace
	// them with U+FFFD, and the reader could not tell which one it was.
	if strings.ContainsFunc(s, isBidiControl) {
		var b strings.Builder
		for _, r := range s {
			if isBidiControl(r) {
				fmt.Fprintf(&b, "[U+%04X]", r)
				continue
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	return gen.OneLine(s)
}

func isBidiControl(r rune) bool {
	switch {
	case r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return r == '\u200E' || r == '\u200F' || r == '\u061C'
}

// Cell makes document text safe for a spreadsheet cell (CSV and XLSX
// alike): Display, and an apostrophe before a text that a spreadsheet
// would take for a formula or a DDE command: one that starts with = + - @
// (or their full-width forms, which some spreadsheets read the same way).
// The apostrophe is what a person types to make a cell text; it shows.
func Cell(s string) string {
	s = Display(s)
	if s == "" {
		return s
	}
	switch r, _ := utf8.DecodeRuneInString(s); r {
	case '=', '+', '-', '@', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// PurposeOf returns a rule's purpose for one language code, and the code
// of the text given (see Pick).
func PurposeOf(r *spec.Rule, code string) (string, string) {
	in, p, ok := r.Purposes.Pick(code)
	if !ok {
		in = code
	}
	return p.Text, in
}

// TitleOf returns a group's heading for one language code and the code of
// the text given (see Pick), or its id when it has no heading.
func TitleOf(g *spec.Group, code string) (string, string) {
	if t, in, ok := Pick(g.Titles, code); ok {
		return t, in
	}
	return g.ID, code
}

// Pick is the language fallback of the model (spec.Rule.PurposeIn): the
// value for code, else for English, else for the lexically first language
// m has; in is the language of the value, ok false when m is empty.
func Pick[V any](m map[string]V, code string) (v V, in string, ok bool) {
	if v, ok := m[code]; ok {
		return v, code, true
	}
	if v, ok := m["en"]; ok {
		return v, "en", true
	}
	langs := slices.Sorted(maps.Keys(m))
	if len(langs) == 0 {
		return v, code, false
	}
	return m[langs[0]], langs[0], true
}

// CSVComment makes a "#" line the first line of a CSV file: one field that
// readers skip, so a quote or a comma in it (of a source name) becomes an
// apostrophe or a semicolon, and it ends in CRLF as the records do.
func CSVComment(line string) string {
	return strings.NewReplacer(`"`, "'", ",", ";").Replace(gen.OneLine(line)) + "\r\n"
}
