package parser_test

import (
	"testing"

	"github.com/portspec/portspec/parser"
)

func TestRedactSource(t *testing.T) {
	for in, want := range map[string]string{
		"":                    "",
		"-":                   "-",
		"docs/page.md":        "docs/page.md",
		"https://host/doc.md": "https://host/doc.md",
		"https://user:secret@host:8443/a/doc.yml?token=abc#frag": "https://host:8443/a/doc.yml",
		"https://user@host/doc.yml":                              "https://host/doc.yml",
		"https://host/doc.yml?":                                  "https://host/doc.yml",
		"http://host/doc.yml#token=abc":                          "http://host/doc.yml",
		"https://user:secret@[::1/doc.yml?token=abc":             "https://(unparsable URL, not shown)",
		"https://u:p?x@host/doc":                                 "https://(unparsable URL, not shown)",
		"https://host/path%20with%20space.md":                    "https://host/path%20with%20space.md",
	} {
		if got := parser.RedactSource(in); got != want {
			t.Errorf("RedactSource(%q) = %q, want %q", in, got, want)
		}
	}
}
