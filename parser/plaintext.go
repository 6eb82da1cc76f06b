package parser

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// plainText turns a purpose written in markdown into the plain text a reader
// sees: emphasis markers, code-span backticks and link targets go, entities
// and backslash escapes are decoded, list markers are dropped and all white
// space (newlines, paragraphs) folds into single spaces. It is a small,
// deliberate subset of CommonMark: purposes are one sentence or a few short
// paragraphs, and running goldmark's inline parser over every cell is what
// makes a full goldmark parse slow (see docs/performance.md).
func plainText(md string) string {
	if isPlain(md) {
		return md // the common case: no markup, nothing to fold, no copy
	}
	var b strings.Builder
	b.Grow(len(md))
	for line := range strings.SplitSeq(md, "\n") {
		line = strings.TrimSpace(line)
		line = trimListMarker(line)
		if line == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		writeInline(&b, line)
	}
	return foldSpace(b.String())
}

// isPlain reports whether s is already plain text: trimmed, single spaces,
// no byte that could start markup, an entity, an escape or a list marker.
func isPlain(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	if c := s[0]; c == '-' || c == '+' || c >= '0' && c <= '9' {
		return false // maybe a list marker
	}
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if plainByte[c] { // most bytes: one table look-up
			prevSpace = false
			continue
		}
		switch {
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		case c >= utf8.RuneSelf:
			// Multi-byte: only Unicode spaces matter (U+0085, U+00A0,
			// U+1680, U+2000-U+200A, U+2028/9, U+202F, U+205F, U+3000).
			r, w := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return false
			}
			i += w - 1
			prevSpace = false
		default: // markup, an entity, an escape or a control byte that is space
			return false
		}
	}
	return true
}

// plainByte marks the ASCII bytes isPlain passes without a second look:
// all but the space, the white-space controls and the bytes that start
// markup, an entity or an escape.
var plainByte = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = !strings.ContainsRune(" *_`[!<&\\\n\r\t\v\f", rune(c))
	}
	return t
}()

// trimListMarker drops a leading "- ", "* ", "+ " or "1. " of a list item.
func trimListMarker(s string) string {
	if len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ' {
		return strings.TrimSpace(s[2:])
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' ' {
		return strings.TrimSpace(s[i+2:])
	}
	return s
}

// writeInline writes one line of inline markdown as plain text.
func writeInline(b *strings.Builder, s string) {
	text := 0 // start of pending literal text, written through entity decoding
	flush := func(end int) {
		if end > text {
			t := s[text:end]
			if strings.IndexByte(t, '&') >= 0 {
				t = html.UnescapeString(t)
			}
			b.WriteString(t)
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if !inlineByte[c] { // most bytes: literal text, one table look-up
			i++
			continue
		}
		switch {
		case c == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]):
			flush(i)
			b.WriteByte(s[i+1])
			i += 2
			text = i
		case c == '`':
			n := runLen(s, i, '`')
			end := findRun(s, i+n, '`', n)
			if end < 0 {
				i += n // no closing run: the backticks are literal
				continue
			}
			flush(i)
			code := s[i+n : end]
			if len(code) >= 2 && code[0] == ' ' && code[len(code)-1] == ' ' && strings.Trim(code, " ") != "" {
				code = code[1 : len(code)-1]
			}
			b.WriteString(code)
			i = end + n
			text = i
		case c == '*' || c == '_':
			n := runLen(s, i, c)
			if isEmphasisRun(s, i, n, c) {
				flush(i)
				i += n
				text = i
				continue
			}
			i += n
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			flush(i)
			i++
			text = i
		case c == '[':
			close := strings.IndexByte(s[i:], ']')
			if close > 0 && i+close+1 < len(s) && s[i+close+1] == '(' {
				paren := strings.IndexByte(s[i+close+1:], ')')
				if paren > 0 {
					flush(i)
					writeInline(b, s[i+1:i+close])
					i = i + close + 1 + paren + 1
					text = i
					continue
				}
			}
			i++
		case c == '<' && isLineBreakTag(s[i:]):
			// <br> in a table cell is the only way to break a line there.
			flush(i)
			b.WriteByte(' ')
			i += strings.IndexByte(s[i:], '>') + 1
			text = i
		case c == '<':
			close := strings.IndexByte(s[i:], '>')
			if close > 0 && isAutolink(s[i+1:i+close]) {
				flush(i)
				b.WriteString(s[i+1 : i+close])
				i += close + 1
				text = i
				continue
			}
			i++
		default:
			i++
		}
	}
	flush(len(s))
}

// inlineByte marks the bytes that may start inline markup in writeInline:
// every other byte is literal text.
var inlineByte = [256]bool{'\\': true, '`': true, '*': true, '_': true, '!': true, '[': true, '<': true}

func isLineBreakTag(s string) bool {
	for _, t := range []string{"<br>", "<br/>", "<br />", "<BR>"} {
		if strings.HasPrefix(s, t) {
			return true
		}
	}
	return false
}

func isAutolink(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "mailto:")
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && unicode.IsPunct(rune(c)) || strings.IndexByte("$+<=>^`|~", c) >= 0
}

func runLen(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// findRun returns the index of the next run of exactly n bytes c at or after
// from, or -1.
func findRun(s string, from int, c byte, n int) int {
	for i := from; i < len(s); {
		if s[i] != c {
			i++
			continue
		}
		m := runLen(s, i, c)
		if m == n {
			return i
		}
		i += m
	}
	return -1
}

// isEmphasisRun reports whether a run of * or _ is an emphasis delimiter
// rather than a literal: it must touch a non-space on one side, and an _
// inside a word (snake_case) is literal, as in CommonMark.
func isEmphasisRun(s string, i, n int, c byte) bool {
	before, _ := utf8.DecodeLastRuneInString(s[:i])
	after, _ := utf8.DecodeRuneInString(s[i+n:])
	if i == 0 {
		before = ' '
	}
	if i+n >= len(s) {
		after = ' '
	}
	leftFlanking := !unicode.IsSpace(after)
	rightFlanking := !unicode.IsSpace(before)
	if !leftFlanking && !rightFlanking {
		return false
	}
	if c == '_' && isWord(before) && isWord(after) {
		return false
	}
	return true
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// foldSpace trims s and makes every run of white space one space.
func foldSpace(s string) string {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf { // ASCII, nearly every byte: no rune decoding
			sp := asciiSpace[c]
			if sp && (prevSpace || c != ' ') {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = sp
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) { // U+0085, U+00A0, U+2000…: never the one space
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = false
		i += w - 1
	}
	if prevSpace {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}

// asciiSpace marks the ASCII bytes unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}
