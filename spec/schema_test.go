package spec_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("schema/document.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("document.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("document.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func instance(t *testing.T, b []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestJSONMatchesSchema: the JSON of the seed's tables (the embedded
// default) and of the newest data version validate against the published
// schema, and the schema rejects what the model forbids.
func TestJSONMatchesSchema(t *testing.T) {
	sch := compileSchema(t)
	validate := func(t *testing.T, name string, src []byte) {
		t.Helper()
		doc, err := parser.Parse(name, src, parser.Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(instance(t, b)); err != nil {
			t.Errorf("%s: JSON does not match the schema: %v", name, err)
		}
	}
	validate(t, spec.DefaultName, spec.Default())
	// The real inputs: skipped without ../shared/upstream, failing under CI.
	for _, rel := range []string{"seed/000_9b596b334cd8af9c.txt", "data/undated_6e01cad3cf.yml"} {
		t.Run(rel, func(t *testing.T) {
			b, err := os.ReadFile(upstream.Path(t, rel))
			if err != nil {
				t.Fatal(err)
			}
			validate(t, rel, b)
		})
	}

	// The schema is not a rubber stamp: each edit of a valid JSON model
	// breaks one rule of the model and must be rejected.
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(doc)
	for name, edit := range map[string][2]string{
		"port 0":          {`"first":2379`, `"first":0`},
		"port 65536":      {`"last":2380`, `"last":65536`},
		"unknown proto":   {`"protocol":"TCP"`, `"protocol":"SCTP"`},
		"missing id":      {`"id":"MastersToMasters",`, ``},
		"unknown field":   {`"known":true`, `"known":true,"colour":"red"`},
		"bad kind":        {`"kind":"markdown"`, `"kind":"pdf"`},
		"ICMP with ports": {`"protocol":"ICMP","ports":[]`, `"protocol":"ICMP","ports":[{"first":1,"last":1}]`},
	} {
		if !strings.Contains(string(good), edit[0]) {
			t.Fatalf("%s: the JSON has no %s to edit", name, edit[0])
		}
		bad := strings.Replace(string(good), edit[0], edit[1], 1)
		if err := sch.Validate(instance(t, []byte(bad))); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}
