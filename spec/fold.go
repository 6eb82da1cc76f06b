package spec

import (
	"strings"
	"unicode/utf8"
)

// Fold is the one loop behind the text normalizers (NormalizeHeading,
// NormalizePurpose, gen.OneLine): every rune of s goes through mapRune
// (nil keeps it; a negative result drops it, as in strings.Map), then each
// run of runes isSpace reports becomes one space and both ends are trimmed.
// Dropped runes neither break nor make a run of space.
func Fold(s string, mapRune func(rune) rune, isSpace func(rune) bool) string {
	if folded(s, mapRune, isSpace) {
		return s // most text is already in its folded form: no copy
	}
	return foldSlow(s, mapRune, isSpace)
}

// folded reports whether Fold would return s unchanged: every rune valid
// UTF-8 that mapRune keeps, and the only space single ' ' runes between
// two others.
func folded(s string, mapRune func(rune) rune, isSpace func(rune) bool) bool {
	prevSpace := true // no space at the start
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false // invalid UTF-8 is written as U+FFFD
			}
		}
		if mapRune != nil && mapRune(r) != r {
			return false
		}
		if isSpace(r) {
			if r != ' ' || prevSpace {
				return false
			}
			prevSpace = true
			continue
		}
		prevSpace = false
	}
	return !prevSpace || s == ""
}

// foldSlow is Fold's loop, building the folded copy.
func foldSlow(s string, mapRune func(rune) rune, isSpace func(rune) bool) string {
	var b strings.Builder
	b.Grow(len(s))
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

// NormalizePurpose folds a plain-text purpose to the form purposes are
// compared in (two rules have the same purpose when these are equal): lower
// case, typographic quotes, dashes and non-breaking spaces made plain,
// leftover emphasis markers removed, white space folded, final full stop
// dropped. The seed's "node’s" and the data file's "node's" are then the
// same purpose.
func NormalizePurpose(s string) string {
	return strings.TrimRight(Fold(strings.ToLower(s), purposeRune, purposeSpace), ".")
}

// purposeRune drops leftover emphasis markers and makes typographic quotes,
// dashes and non-breaking spaces plain.
func purposeRune(r rune) rune {
	switch r {
	case '*', '`':
		return -1
	case '´':
		return '\''
	case '“', '”', '«', '»':
		return '"'
	case '\u00a0', '\u202f':
		return ' '
	}
	return plainPunct(r)
}

// purposeSpace is the white space NormalizePurpose folds: ASCII only, once
// purposeRune has made the non-breaking spaces plain; other Unicode spaces
// are kept as they are.
func purposeSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }
