package spec_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/spec"
)

// all returns the entries in the order All yields them.
func all(ps spec.Purposes) []spec.LangPurpose {
	var out []spec.LangPurpose
	for l, p := range ps.All() {
		out = append(out, spec.LangPurpose{Lang: l, Purpose: p})
	}
	return out
}

// TestMakePurposes: entries come out ordered by language, a later entry of
// a language replacing an earlier one, as in a map literal.
func TestMakePurposes(t *testing.T) {
	p := func(s string) spec.Purpose { return spec.Purpose{Text: s, Markdown: "*" + s + "*"} }
	ps := spec.MakePurposes([]spec.LangPurpose{{"ru", p("р1")}, {"en", p("e1")}, {"ru", p("р2")}, {"de", p("d")}, {"en", p("e2")}})
	want := []spec.LangPurpose{{"de", p("d")}, {"en", p("e2")}, {"ru", p("р2")}}
	if diff := cmp.Diff(want, all(ps)); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	if ps.Len() != 3 || !slices.Equal(ps.Languages(), []string{"de", "en", "ru"}) {
		t.Errorf("Len %d, Languages %q", ps.Len(), ps.Languages())
	}
	if got, ok := ps.Get("en"); !ok || got != p("e2") {
		t.Errorf("Get(en) = %v, %v", got, ok)
	}
	if got, ok := ps.Get("fr"); ok || got != (spec.Purpose{}) {
		t.Errorf("Get(fr) = %v, %v, want none", got, ok)
	}
	if ps.In("fr") != (spec.Purpose{}) || ps.In("de") != p("d") {
		t.Errorf("In(fr) = %v, In(de) = %v", ps.In("fr"), ps.In("de"))
	}
	if !ps.Equal(spec.PurposesFrom(map[string]spec.Purpose{"ru": p("р2"), "de": p("d"), "en": p("e2")})) {
		t.Error("not Equal to the same purposes from a map")
	}
	var zero spec.Purposes
	if zero.Len() != 0 || !zero.Equal(spec.MakePurposes(nil)) || !zero.Equal(spec.PurposesFrom(map[string]spec.Purpose{})) || len(all(zero)) != 0 {
		t.Error("the zero Purposes is not empty, or not equal to an empty one")
	}
	// All stops when told to.
	n := 0
	for range ps.All() {
		n++
		break
	}
	if n != 1 {
		t.Errorf("All went on after break: %d", n)
	}
}

// TestPurposesAreValues: Set and Delete change only the value they are
// called on, never a copy, nor the array a parser carved a list out of.
func TestPurposesAreValues(t *testing.T) {
	arr := []spec.LangPurpose{{"en", spec.Purpose{Text: "a"}}, {"en", spec.Purpose{Text: "b"}}}
	a, b := spec.MakePurposes(arr[0:1]), spec.MakePurposes(arr[1:2])
	c := a // a copy shares a's storage
	c.Set("ru", spec.Purpose{Text: "в"})
	c.Set("en", spec.Purpose{Text: "c"})
	if a.Len() != 1 || a.In("en").Text != "a" || b.In("en").Text != "b" || arr[1].Purpose.Text != "b" {
		t.Errorf("Set on a copy changed a = %v or its neighbour b = %v", all(a), all(b))
	}
	if want := []string{"en", "ru"}; !slices.Equal(c.Languages(), want) || c.In("en").Text != "c" || c.In("ru").Text != "в" {
		t.Errorf("c = %v", all(c))
	}
	d := c
	d.Delete("en")
	d.Delete("fr") // absent: nothing to do
	if !slices.Equal(d.Languages(), []string{"ru"}) || !slices.Equal(c.Languages(), []string{"en", "ru"}) {
		t.Errorf("Delete: d = %v, c = %v", all(d), all(c))
	}
	d.Delete("ru")
	if d.Len() != 0 || !d.Equal(spec.Purposes{}) {
		t.Errorf("d = %v, want empty", all(d))
	}
	e := c.Clone()
	c.Set("en", spec.Purpose{Text: "x"})
	if e.In("en").Text != "c" || !slices.Equal(e.Languages(), c.Languages()) {
		t.Errorf("Clone: e = %v", all(e))
	}
	if (spec.Purposes{}).Clone().Len() != 0 {
		t.Error("the clone of no purposes has some")
	}
}

// TestPurposesPick: the first of langs, else English, else the lexically
// first language, with the language picked.
func TestPurposesPick(t *testing.T) {
	ps := spec.PurposesFrom(map[string]spec.Purpose{"fr": {Text: "f"}, "de": {Text: "d"}})
	for _, tc := range []struct {
		ps   spec.Purposes
		in   []string
		lang string
		ok   bool
	}{
		{ps, []string{"ru", "fr"}, "fr", true},
		{ps, nil, "de", true},
		{spec.PurposesFrom(map[string]spec.Purpose{"fr": {Text: "f"}, "en": {Text: "e"}}), []string{"ru"}, "en", true},
		{spec.Purposes{}, []string{"en"}, "", false},
	} {
		l, p, ok := tc.ps.Pick(tc.in...)
		if l != tc.lang || ok != tc.ok || p != tc.ps.In(tc.lang) {
			t.Errorf("Pick(%q) = %q, %v, %v; want %q, %v", tc.in, l, p, ok, tc.lang, tc.ok)
		}
	}
}
