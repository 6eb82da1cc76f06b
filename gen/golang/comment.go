package golang

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// commentText makes outside text safe for a // comment: it becomes one line
// of valid UTF-8 without control characters, byte order marks or
// bidirectional-override characters (which could make the source read
// differently from how it compiles), with runs of white space folded.
// Whatever the text holds ("*/", "//go:generate", back quotes), it stays
// inside a line comment that starts with our own words.
func commentText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			space = b.Len() > 0
			continue
		case r == '\uFEFF' || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError:
			r = '\uFFFD'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wrap splits text into lines of at most width bytes where it can, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// docComment renders paragraphs as a // comment block. Every line is passed
// to jennifer with its "// " already in place, which both keeps jennifer
// from switching to /* */ style and means no line can begin with "//go:".
func docComment(paragraphs ...string) *jen.Statement {
	s := jen.Null()
	first := true
	for _, p := range paragraphs {
		if p == "" {
			continue
		}
		if !first {
			s.Comment("//").Line()
		}
		first = false
		for _, l := range wrap(commentText(p), 76) {
			s.Comment("// " + l).Line()
		}
	}
	return s
}
