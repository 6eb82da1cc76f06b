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

// TestTablesAreCopies: what Protocols, Roles, KnownGroups and Default return
// is the caller's own; changing it does not change the next call's result.
func TestTablesAreCopies(t *testing.T) {
	check := func(name string, mutate func() (before, after string)) {
		t.Helper()
		if before, after := mutate(); before != after {
			t.Errorf("%s: changing one result changed the next:\nbefore %s\nafter  %s", name, before, after)
		}
	}
	check("Protocols", func() (string, string) {
		before := fmt.Sprint(spec.Protocols())
		p := spec.Protocols()
		p[0] = spec.ProtocolUnknown
		_ = append(p[:1], spec.ProtocolUnknown)
		return before, fmt.Sprint(spec.Protocols())
	})
	check("Roles", func() (string, string) {
		before := fmt.Sprint(spec.Roles())
		r := spec.Roles()
		r[0] = spec.RoleUnknown
		_ = append(r[:1], spec.RoleUnknown)
		return before, fmt.Sprint(spec.Roles())
	})
	check("KnownGroups", func() (string, string) {
		before := fmt.Sprint(spec.KnownGroups())
		k := spec.KnownGroups()
		k[0].ID, k[1].From = "Changed", spec.RoleUnknown
		_ = append(k[:1], spec.KnownGroup{ID: "Appended"})
		if _, ok := spec.LookupGroup("Changed"); ok {
			t.Error("LookupGroup finds a group a caller wrote into KnownGroups' result")
		}
		return before, fmt.Sprint(spec.KnownGroups())
	})
	check("Default", func() (string, string) {
		before := string(spec.Default())
		d := spec.Default()
		d[0] ^= 0xff
		return before, string(spec.Default())
	})
	if len(spec.Protocols()) != 3 || len(spec.Roles()) != 4 || len(spec.KnownGroups()) != 7 || len(spec.Default()) == 0 {
		t.Errorf("tables: %v %v %v, default %d bytes", spec.Protocols(), spec.Roles(), spec.KnownGroups(), len(spec.Default()))
	}
}
