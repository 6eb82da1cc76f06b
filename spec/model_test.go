package spec_test

import (
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestLanguageChoice: PurposeIn and Title take the first of langs, else
// English, else the lexically first language (Title: else the id), and
// never write into the caller's array beyond its length.
func TestLanguageChoice(t *testing.T) {
	r := spec.Rule{Purposes: map[string]spec.Purpose{"de": {Text: "de"}, "fr": {Text: "fr"}, "en": {Text: "en"}}}
	g := spec.Group{ID: "G", Titles: map[string]string{"de": "de", "fr": "fr"}}
	for _, tc := range []struct {
		langs          []string
		purpose, title string
	}{
		{[]string{"fr", "de"}, "fr", "fr"},
		{[]string{"ru"}, "en", "de"},
		{nil, "en", "de"},
	} {
		langs := make([]string, len(tc.langs), len(tc.langs)+1)
		copy(langs, tc.langs)
		if got := r.PurposeIn(langs...).Text; got != tc.purpose {
			t.Errorf("PurposeIn(%q) = %q, want %q", tc.langs, got, tc.purpose)
		}
		if got := g.Title(langs...); got != tc.title {
			t.Errorf("Title(%q) = %q, want %q", tc.langs, got, tc.title)
		}
		if spare := langs[:len(langs)+1][len(langs)]; spare != "" {
			t.Errorf("langs %q: %q written past the end of the caller's slice", tc.langs, spare)
		}
	}
	if got := (&spec.Group{ID: "G"}).Title("en"); got != "G" {
		t.Errorf("Title without titles = %q, want the id", got)
	}
}
