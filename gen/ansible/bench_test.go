package ansible

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// marshalWhole is the reference encoding: the whole vars as one yaml.v3
// document, whose emitter keeps every event of it until the end
// (go-yaml/yaml#873). Marshal must write exactly these bytes.
func marshalWhole(doc *spec.Document, v *Vars) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(gen.Header("#", doc) + "\n")
	b.WriteString(comment)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// varsOf are the vars of doc with the default options.
func varsOf(tb testing.TB, doc *spec.Document) *Vars {
	tb.Helper()
	set, err := hostfw.Options{}.Resolve(Name, hostfw.Inventory)
	if err != nil {
		tb.Fatal(err)
	}
	groups, _ := resolveGroups(nil)
	plan := hostfw.Input{Doc: doc, Clients: gen.Request{}.ClientTable()}.Build()
	return buildVars(doc, plan, set, groups)
}

// BenchmarkMarshal compares the chunked encoding with the reference one
// in the same run: allocated bytes per op are what the change is about.
func BenchmarkMarshal(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		doc := gentest.Big(n)
		v := varsOf(b, doc)
		for _, m := range []struct {
			name string
			f    func(*spec.Document, *Vars) ([]byte, error)
		}{{"whole", marshalWhole}, {"chunked", Marshal}} {
			b.Run(fmt.Sprintf("%s/rows=%d", m.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := m.f(doc, v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestMarshalMatchesWholeDocument: the chunked encoding writes the bytes
// of one yaml.v3 document of the same vars: at 10,000 rows, with hostile
// text, for the default document, with no rules and with no roles.
func TestMarshalMatchesWholeDocument(t *testing.T) {
	check := func(t *testing.T, doc *spec.Document, v *Vars) {
		t.Helper()
		want, err := marshalWhole(doc, v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Marshal(doc, v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("chunked encoding differs from the whole document (-want +got):\n%s", cmp.Diff(string(want), string(got)))
		}
	}
	for name, doc := range map[string]*spec.Document{
		"rows=10000": gentest.Big(10000),
		"hostile":    gentest.WithHostile(gentest.Small()),
		"small":      gentest.Small(),
		"default":    gentest.Default(t),
		"empty":      {Source: "empty.md", SHA256: "00", Languages: []string{"en"}},
	} {
		t.Run(name, func(t *testing.T) { check(t, doc, varsOf(t, doc)) })
	}
	t.Run("no roles", func(t *testing.T) {
		doc := gentest.Small()
		v := varsOf(t, doc)
		v.Rules = map[string][]Rule{}
		check(t, doc, v)
		v.Rules = nil
		check(t, doc, v)
	})
}
