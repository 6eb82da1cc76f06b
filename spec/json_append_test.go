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

// TestAppendJSONMatchesMarshalJSON: the fast writer and MarshalJSON give the
// same bytes, on the embedded default and on a hand-made document with every
// character encoding/json escapes, several languages, nil maps and slices.
func TestAppendJSONMatchesMarshalJSON(t *testing.T) {
	def, err := parser.Parse(spec.DefaultName, spec.Default, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	odd := "q\"b\\s/<>&\b\f\n\r\t\x01\x1f\x7f é \u2028\u2029 \xff\xfe end"
	hand := &spec.Document{
		Source: odd, Kind: "markdown", SHA256: "00",
		Languages: []string{"ru", "en", "de"},
		Groups: []spec.Group{
			{ID: "A", Known: true, Titles: map[string]string{"ru": "Заголовок", "en": odd, "de": ""},
				From: spec.RoleMaster, To: spec.RoleNode, Direction: spec.Ingress,
				Pos: token.Position{Filename: "x:y", Line: 3, Column: 1},
				Rules: []spec.Rule{
					{Protocol: spec.TCP, Ports: []spec.PortRange{{1, 1}, {7000, 7999}},
						Purposes: map[string]spec.Purpose{"en": {odd, "*" + odd + "*"}, "ru": {"т", "т"}, "de": {}}},
					{Protocol: spec.ICMP},
				}},
			{ID: "B"},
		},
		Warnings: []spec.Diagnostic{{Pos: token.Position{Filename: "f", Line: 1, Column: 2}, Msg: odd}, {Msg: "no pos"}},
	}
	for name, d := range map[string]*spec.Document{"default": def, "hand-made": hand, "empty": {}} {
		want, err := d.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(want) {
			t.Fatalf("%s: MarshalJSON output is not JSON", name)
		}
		got := d.AppendJSON(nil)
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("%s: AppendJSON differs from MarshalJSON (-want +got):\n%s", name, diff)
		}
		var w bytes.Buffer
		if err := d.WriteJSON(&w); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), w.String()); diff != "" {
			t.Errorf("%s: WriteJSON differs from MarshalJSON (-want +got):\n%s", name, diff)
		}
	}
}
