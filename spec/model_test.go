package spec_test

import (
	"fmt"
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestLanguageChoice: PurposeIn and Title take the first of langs, else
// English, else the lexically first language (Title: else the id), and
// never write into the caller's array beyond its length.
func TestLanguageChoice(t *testing.T) {
	r := spec.Rule{Purposes: spec.PurposesFrom(map[string]spec.Purpose{"de": {Text: "de"}, "fr": {Text: "fr"}, "en": {Text: "en"}})}
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

// TestTablesAreCopies: what Protocols, Roles, KnownGroups and Default return
// is the caller's own; changing it does not change the next call's result.
func TestTablesAreCopies(t *testing.T) {
	checkCopies(t, "Protocols", spec.Protocols, func(p []spec.Protocol) { p[0] = spec.ProtocolUnknown })
	checkCopies(t, "Roles", spec.Roles, func(r []spec.Role) { r[0] = spec.RoleUnknown })
	checkCopies(t, "KnownGroups", spec.KnownGroups, func(k []spec.KnownGroup) { k[0].ID, k[1].From = "Changed", spec.RoleUnknown })
	checkCopies(t, "Default", spec.Default, func(d []byte) { d[0] ^= 0xff })
	if _, ok := spec.LookupGroup("Changed"); ok {
		t.Error("LookupGroup finds a group a caller wrote into KnownGroups' result")
	}
	if len(spec.Protocols()) != 3 || len(spec.Roles()) != 4 || len(spec.KnownGroups()) != 7 {
		t.Errorf("tables: %v %v %v", spec.Protocols(), spec.Roles(), spec.KnownGroups())
	}
}

// checkCopies changes a result of get, in place and by an append into its
// array, and fails when the next result of get differs from the first.
func checkCopies[T any](t *testing.T, name string, get func() []T, change func([]T)) {
	t.Helper()
	before := fmt.Sprint(get())
	s := get()
	if len(s) < 2 {
		t.Fatalf("%s: want at least 2 elements, got %d", name, len(s))
	}
	change(s)
	_ = append(s[:1], s[len(s)-1])
	if after := fmt.Sprint(get()); after != before {
		t.Errorf("%s: changing one result changed the next:\nbefore %.200s\nafter  %.200s", name, before, after)
	}
}
