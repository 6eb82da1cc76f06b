package spec

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes outside text (a group id, a file name, a purpose) safe to
// print in a human-readable report or message: every control character
// (new lines, NUL, the ESC that starts a terminal escape, tabs), line and
// paragraph separator and bidirectional control is written as its Go escape
// (\n, \x1b, \u202e), and invalid UTF-8 as \xff, so that the text cannot
// start a line of its own, forge one, reach the terminal as a command or
// display otherwise than it reads. Other text is returned as it is, and
// text without such runes unchanged: escaping twice changes nothing more.
func Escape(s string) string {
	i := strings.IndexFunc(s, unsafeRune)
	if i < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && n == 1:
			b.WriteString(`\x` + strconv.FormatUint(uint64(s[0])|0x100, 16)[1:])
		case unsafeRune(r):
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:n])
		}
		s = s[n:]
	}
	return b.String()
}

// unsafeRune reports the runes Escape writes as escapes.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'
}
