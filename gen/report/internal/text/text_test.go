package text

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

func TestCell(t *testing.T) {
	for in, want := range map[string]string{
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"+1+2":               "'+1+2",
		"-2+3":               "'-2+3",
		"@SUM(A1:A2)":        "'@SUM(A1:A2)",
		"＝1+1":               "'＝1+1",
		"\t=1":               "'=1", // folded to one line first: the tab goes
		"\r\n+1":             "'+1",
		"etcd = storage":     "etcd = storage",
		"":                   "",
		"a\u202Eb":           "a[U+202E]b",
		"x\ny":               "x y",
	} {
		if got := Cell(in); got != want {
			t.Errorf("Cell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDisplayShowsBidiControls(t *testing.T) {
	in := "\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee\u2066f\u2067g\u2068h\u2069i\u200Ej\u200Fk\u061Cl"
	got := Display(in)
	if strings.ContainsFunc(got, isBidiControl) {
		t.Errorf("Display(%q) = %q still holds bidi controls", in, got)
	}
	if !strings.HasPrefix(got, "[U+202A]a[U+202B]b") || !strings.HasSuffix(got, "[U+061C]l") {
		t.Errorf("Display(%q) = %q", in, got)
	}
	if got := Display("Репликация etcd"); got != "Репликация etcd" {
		t.Errorf("Display changed plain Russian: %q", got)
	}
}

// Every label exists in both languages, and those that name sheets fit a
// sheet's name in every form (31 characters, none of []:*?/\).
func TestLabels(t *testing.T) {
	for k := Key(0); k < keyCount; k++ {
		if k.In("en") == "" || k.In("ru") == "" {
			t.Errorf("label %d lacks a language: %q / %q", k, k.In("en"), k.In("ru"))
		}
	}
	for _, k := range []Key{SheetMatrix, SheetIngress, SheetEgress, SheetUnknown, About} {
		for _, l := range Langs() {
			name := k.For(l)
			if l == Both {
				name = k.In("en") + " · " + k.In("ru")
			}
			if n := len([]rune(name)); n > 31 || strings.ContainsAny(name, `[]:*?/\`) {
				t.Errorf("sheet name %q (%s): %d characters or a forbidden one", name, l, n)
			}
		}
	}
	for _, r := range append(spec.Roles(), spec.RoleUnknown) {
		if Role(r, "en") == "" || Role(r, "ru") == "" {
			t.Errorf("role %s has no name", r)
		}
	}
	if _, err := ParseLang("de"); err == nil {
		t.Error("ParseLang accepted de")
	}
}

func TestPick(t *testing.T) {
	r := &spec.Rule{Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "a"}, "ru": {Text: "б"}})}
	if s, in := PurposeOf(r, "ru"); s != "б" || in != "ru" {
		t.Errorf("ru: %q %q", s, in)
	}
	enOnly := &spec.Rule{Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "a"}})}
	if s, in := PurposeOf(enOnly, "ru"); s != "a" || in != "en" {
		t.Errorf("ru of an English-only rule: %q %q, want the English one, marked en", s, in)
	}
	other := &spec.Rule{Purposes: spec.PurposesFrom(map[string]spec.Purpose{"fr": {Text: "f"}, "de": {Text: "d"}})}
	if s, in := PurposeOf(other, "ru"); s != "d" || in != "de" {
		t.Errorf("fallback: %q %q, want the lexically first language", s, in)
	}
	if s, in := TitleOf(&spec.Group{ID: "G"}, "en"); s != "G" || in != "en" {
		t.Errorf("title without headings: %q %q", s, in)
	}
	if got := CSVComment(`# a, "b"` + "\n"); got != "# a; 'b'\r\n" {
		t.Errorf("CSVComment: %q", got)
	}
}

// TestDisplayPlainASCII: Display's shortcut for plain ASCII returns what
// the whole fold does, for every text of up to four characters over
// spaces, tabs, letters, the ASCII ends and beyond, and for the texts of
// the other tests.
func TestDisplayPlainASCII(t *testing.T) {
	alphabet := []string{" ", "a", "~", "!", "\t", "\x7f", "\x00", "é", "\u202E", "\xff"}
	texts := []string{"", "etcd = storage", "  a  b  ", "a  b", "x\ny", "Репликация etcd"}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		texts = append(texts, prefix)
		if n == 0 {
			return
		}
		for _, a := range alphabet {
			grow(prefix+a, n-1)
		}
	}
	grow("", 4)
	shortcuts := 0
	for _, s := range texts {
		if got, want := Display(s), display(s); got != want {
			t.Errorf("Display(%q) = %q, the fold gives %q", s, got, want)
		}
		if plainASCII(s) {
			shortcuts++
		}
	}
	if shortcuts < 100 {
		t.Errorf("only %d texts took the shortcut: the test checks little", shortcuts)
	}
}
