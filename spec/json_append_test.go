package spec_test

import (
	"bytes"
	"encoding/json"
	"go/token"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestAppendJSONMatchesWire: AppendJSON, WriteJSON and json.Marshal (which
// calls MarshalJSON) give the bytes of the reference encoding (MarshalWire:
// the wire structs through encoding/json), on the embedded default and on a
// hand-made document with every character encoding/json escapes, several
// languages, nil maps and slices.
func TestAppendJSONMatchesWire(t *testing.T) {
	def, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	odd := "q\"b\\s/<>&\b\f\n\r\t\x01\x1f\x7f é \u2028\u2029 \xff\xfe end"
	for name, d := range map[string]*spec.Document{"default": def, "hand-made": oddDocument(odd, "ru", 3), "empty": {}} {
		checkAgainstWire(t, name, d)
	}
}

// FuzzAppendJSON: for any text in every string of a document, any language
// key and any line, AppendJSON writes what the reference encoding does.
func FuzzAppendJSON(f *testing.F) {
	f.Add("q\"b\\s/<>&\b\f\n\r\t\x01\x1f\x7f é \u2028\u2029 \xff\xfe end", "ru", 3)
	f.Add("", "", 0)
	f.Add("\xe2\x80", "en", -1)
	f.Fuzz(func(t *testing.T, s, lang string, line int) {
		checkAgainstWire(t, "fuzz", oddDocument(s, lang, line))
	})
}

// oddDocument puts s in every string of a document: source, titles,
// purposes, warnings and file names.
func oddDocument(s, lang string, line int) *spec.Document {
	return &spec.Document{
		Source: s, Kind: "markdown", SHA256: "00",
		Languages: []string{lang, "en", "de"},
		Groups: []spec.Group{
			{ID: "A", Known: true, Titles: map[string]string{lang: "Заголовок", "en": s, "de": ""},
				From: spec.RoleMaster, To: spec.RoleNode, Direction: spec.Ingress,
				Pos: token.Position{Filename: "x:" + s, Line: line, Column: 1},
				Rules: []spec.Rule{
					{Protocol: spec.TCP, Ports: []spec.PortRange{{1, 1}, {7000, 7999}},
						Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {s, "*" + s + "*"}, lang: {"т", "т"}, "de": {}})},
					{Protocol: spec.ICMP, Purposes: spec.PurposesFrom(map[string]spec.Purpose{lang: {s, s}}), Pos: token.Position{Line: line}},
					{Protocol: spec.UDP, Site: &spec.SiteChange{Action: spec.SiteAdded, Pos: token.Position{Filename: s, Line: line, Column: 3}, Reason: s}},
					{Protocol: spec.TCP, Ports: []spec.PortRange{{8080, 8080}}, Site: &spec.SiteChange{Action: spec.SiteReplaced, Reason: s, DocumentPorts: []spec.PortRange{{80, 80}, {443, 443}}}},
				}},
			{ID: s},
		},
		Warnings: []spec.Diagnostic{{Pos: token.Position{Filename: s, Line: line, Column: 2}, Msg: s}, {Msg: "no pos"}},
		Partial:  []spec.Diagnostic{{Pos: token.Position{Filename: s, Line: line, Column: 4}, Msg: s}},
	}
}

func checkAgainstWire(t *testing.T, name string, d *spec.Document) {
	t.Helper()
	want, err := spec.MarshalWire(d)
	if err != nil {
		t.Fatal(err)
	}
	got := d.AppendJSON(nil)
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s: AppendJSON differs from the wire structs' encoding (-want +got):\n%s", name, diff)
	}
	var w bytes.Buffer
	if err := d.WriteJSON(&w); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), w.String()); diff != "" {
		t.Errorf("%s: WriteJSON differs from the wire structs' encoding (-want +got):\n%s", name, diff)
	}
	// json.Marshal checks that MarshalJSON's output is JSON.
	m, err := json.Marshal(d)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if diff := cmp.Diff(string(want), string(m)); diff != "" {
		t.Errorf("%s: json.Marshal differs from the wire structs' encoding (-want +got):\n%s", name, diff)
	}
}
