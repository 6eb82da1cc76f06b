package spec

import "strings"

// Fold is the one loop behind the text normalizers (NormalizeHeading,
// NormalizePurpose, gen.OneLine): every rune of s goes through mapRune
// (nil keeps it; a negative result drops it, as in strings.Map), then each
// run of runes isSpace reports becomes one space and both ends are trimmed.
// Dropped runes neither break nor make a run of space.
func Fold(s string, mapRune func(rune) rune, isSpace func(rune) bool) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if mapRune != nil {
			if r = mapRune(r); r < 0 {
				continue
			}
		}
		if isSpace(r) {
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

// plainPunct makes the typographic single quotes and dashes that headings
// and purposes share plain ASCII.
func plainPunct(r rune) rune {
	switch r {
	case '’', '‘':
		return '\''
	case '‐', '‑', '‒', '–', '—':
		return '-'
	}
	return r
}
