package gen

import "testing"

func TestOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"  a\nb\r\nc\u2028d\u0085e\u2029f\tg  ": "a b c d e f g",
		"x\u0000y\u007fz":                       "x y z",
		"":                                      "",
		"---\n# a: b":                           "--- # a: b",
	} {
		if got := OneLine(in); got != want {
			t.Errorf("OneLine(%q) = %q, want %q", in, got, want)
		}
	}
}
