package gen

import (
	"testing"
	"unicode"
)

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"  a\nb\r\nc\u2028d\u0085e\u2029f\tg  ": "a b c d e f g",
		"x\u0000y\u007fz":                       "x y z",
		"":                                      "",
		"---\n# a: b":                           "--- # a: b",
		"\x1b[31mred\x1b[0m":                    "[31mred [0m",
		"bidi \u202e reversed \u2066 isolate \u2069 \u200f \u061c": "bidi \uFFFD reversed \uFFFD isolate \uFFFD \uFFFD \uFFFD",
		"bom\ufeffword invalid \xff\xfe":                           "bom word invalid \uFFFD\uFFFD",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOneLineRuneClasses: the ASCII shortcuts of lineBreaking and visible
// answer as the Unicode tables do, for every rune.
func TestOneLineRuneClasses(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := lineBreaking(r), unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff'; got != want {
			t.Fatalf("lineBreaking(%U) = %v, want %v", r, got, want)
		}
		want := r
		if unicode.Is(unicode.Bidi_Control, r) {
			want = '\uFFFD'
		}
		if got := visible(r); got != want {
			t.Fatalf("visible(%U) = %U, want %U", r, got, want)
		}
	}
}
