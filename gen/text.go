package gen

import (
	"unicode"

	"github.com/portspec/portspec/spec"
)

// OneLine makes document text safe for one line of generated output, a
// comment or a string: every control character, line or paragraph
// separator (including the ones YAML 1.1 treats as line breaks: NEL, LS,
// PS), byte order mark and run of white space becomes one space, and the
// ends are trimmed, so that text from the document can never start a line
// of its own. Bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E,
// U+200F, U+061C), which make a line display otherwise than it reads (a
// comment that seems to end where it does not), and invalid UTF-8 become
// U+FFFD. It is the one function every target passes document text through
// before writing it.
func OneLine(s string) string {
	return spec.Fold(s, visible, lineBreaking)
}

// lineBreaking reports the runes OneLine folds into a space.
func lineBreaking(r rune) bool {
	if r < 0x80 {
		return r <= ' ' || r == 0x7F // ASCII space and control runes
	}
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}

// visible replaces the runes that change how the text around them is
// displayed.
func visible(r rune) rune {
	if r < 0x80 {
		return r // no ASCII rune is a bidi control (the first is U+061C)
	}
	if unicode.Is(unicode.Bidi_Control, r) {
		return '\uFFFD'
	}
	return r
}
