package spec_test

import (
	"encoding/json"
	"go/token"
	"strings"
	"testing"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestJSONSchemaSiteAndPartial: the JSON of a document with the site's
// rows (spec.Rule.Site) and reasons it looks cut short (Partial), in each
// kind of input, validates against the published schema; a site mark the
// model has no word for does not.
func TestJSONSchemaSiteAndPartial(t *testing.T) {
	sch := compileSchema(t)
	doc, err := parser.Parse("page.html", []byte("<h2>Master to master nodes traffic</h2><table><tr><th>Port<th>Protocol<th>Purpose<tr><td>2379<td>TCP<td>etcd</table>"), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Partial) == 0 {
		t.Fatal("a document of the first group only is not marked partial")
	}
	pos := token.Position{Filename: "portspec.yaml", Line: 4, Column: 7}
	g := &doc.Groups[0]
	g.Rules = append(g.Rules,
		spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 636, Last: 636}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "LDAPS", Markdown: "LDAPS"}}), Pos: pos,
			Site: &spec.SiteChange{Action: spec.SiteAdded, Pos: pos, Reason: "Dex"}})
	g.Rules[0].Site = &spec.SiteChange{Action: spec.SiteReplaced, Pos: pos, Reason: "r", DocumentPorts: []spec.PortRange{{First: 2380, Last: 2380}}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(instance(t, b)); err != nil {
		t.Errorf("JSON with site marks and partial does not match the schema: %v\n%s", err, b)
	}
	for name, edit := range map[string][2]string{
		"unknown site action": {`"action":"add"`, `"action":"edit"`},
		"site without reason": {`,"reason":"Dex"`, ``},
		"empty partial":       {`"partial":[{`, `"partial":[],"x":[{`},
	} {
		if !strings.Contains(string(b), edit[0]) {
			t.Fatalf("%s: the JSON has no %s to edit", name, edit[0])
		}
		bad := strings.Replace(string(b), edit[0], edit[1], 1)
		if err := sch.Validate(instance(t, []byte(bad))); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
