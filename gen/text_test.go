package gen

import "testing"

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
