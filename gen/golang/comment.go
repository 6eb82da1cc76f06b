package golang

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/portspec/portspec/gen"
)

// commentText makes outside text safe for a // comment: gen.OneLine, one
// line of valid UTF-8 without control characters, byte order marks or
// bidirectional controls (which could make the source read differently
// from how it compiles), with runs of white space folded. Whatever the text
// holds ("*/", "//go:generate", back quotes), it stays inside a line
// comment that starts with our own words.
func commentText(s string) string {
	if folded(s) {
		return s // what gen.OneLine returns, without its copy
	}
	return gen.OneLine(s)
}

// folded reports whether s is printable ASCII with single spaces between
// words and none at its ends: text gen.OneLine leaves as it is.
func folded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c > '~' || c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ') {
			return false
		}
	}
	return true
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
		for _, l := range wrap(commentText(p), commentWidth) {
			s.Comment("// " + l).Line()
		}
	}
	return s
}
