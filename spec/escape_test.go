package spec_test

import (
	"testing"

	"github.com/portspec/portspec/spec"
)

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"NodesToNodes":                "NodesToNodes",
		"Привет, мир":                 "Привет, мир",
		`already \n escaped`:          `already \n escaped`,
		"a\nkey: forged":              `a\nkey: forged`,
		"tab\there\r":                 `tab\there\r`,
		"\x1b[31mred\x1b[0m \x00":     `\x1b[31mred\x1b[0m \x00`,
		"bidi \u202e \u2066 \u200f":   `bidi \u202e \u2066 \u200f`,
		"sep\u2028\u2029\u0085\ufeff": `sep\u2028\u2029\u0085\ufeff`,
		"bad \xff\xfe utf-8":          `bad \xff\xfe utf-8`,
	} {
		if got := spec.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		if got := spec.Escape(spec.Escape(in)); got != want {
			t.Errorf("Escape twice (%q) = %q", in, got)
		}
	}
}
