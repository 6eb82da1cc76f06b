package gen

import (
	"unicode"

	"github.com/portspec/portspec/spec"
)

// OneLine makes document text safe for one comment line of generated
// output: every control character, line or paragraph separator (including
// the ones YAML 1.1 treats as line breaks: NEL, LS, PS) and run of white
// space becomes one space, and the ends are trimmed. Text from the document
// can then never start a line of its own.
func OneLine(s string) string {
	return spec.Fold(s, nil, lineBreaking)
}

// lineBreaking reports the runes OneLine folds into a space.
func lineBreaking(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}
