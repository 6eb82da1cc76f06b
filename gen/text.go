package gen

import (
	"strings"
	"unicode"
)

// OneLine makes document text safe for one comment line of generated
// output: every control character, line or paragraph separator (including
// the ones YAML 1.1 treats as line breaks: NEL, LS, PS) and run of white
// space becomes one space, and the ends are trimmed. Text from the document
// can then never start a line of its own.
func OneLine(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
