package config

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestSchemaUnimplementedKeyword: a schema edit that uses a keyword the
// validator does not implement fails the first config read with an
// internal error that names the keyword and where it is, never validates
// without it.
func TestSchemaUnimplementedKeyword(t *testing.T) {
	edited := strings.Replace(string(schema), `"minLength": 1
    },`, `"minLength": 1,
      "maxLength": 200
    },`, 1)
	if edited == string(schema) {
		t.Fatal("the edit did not apply: the schema's out property changed")
	}
	sch, err := compileSchema([]byte(edited))
	if err == nil {
		t.Fatal("a schema with maxLength compiled")
	}
	var errs spec.Errors
	inst, pos, _ := parseInstance(ConfigFile, []byte("version: 1\nout: x\n"))
	validateWith(sch, err, inst, pos, &errs)
	got := errorText(errs.Err())
	want := `portspec.yaml: internal error: config schema: schema at #/properties/out: keyword "maxLength" is not implemented by the config validator (gen/config/jsonschema.go)`
	if !strings.HasPrefix(got, want) {
		t.Errorf("got\n%s\nwant it to start with\n%s", got, want)
	}
}

// TestCompileSchemaRefuses: what the validator does not implement, or
// what is no schema, is a compile error, wherever it is (an unused
// definition too).
func TestCompileSchemaRefuses(t *testing.T) {
	const head = `{"$schema": "https://json-schema.org/draft/2020-12/schema", `
	for _, tc := range []struct{ schema, want string }{
		{`{"type": "object"}`, `$schema is <nil>`},
		{`{"$schema": "http://json-schema.org/draft-07/schema#"}`, `$schema is http://json-schema.org/draft-07/schema#`},
		{head + `"$defs": {"unused": {"format": "uri"}}}`, `schema at #/$defs/unused: keyword "format" is not implemented`},
		{head + `"properties": {"a": {"anyOf": [true]}}}`, `schema at #/properties/a: keyword "anyOf" is not implemented`},
		{head + `"properties": {"a": {"$id": "a.json"}}}`, `schema at #/properties/a: $id below the root is not implemented`},
		{head + `"$ref": "other.json#/x"}`, `only a JSON pointer into this document`},
		{head + `"$ref": "#/$defs/missing"}`, `no such place in the schema`},
		{head + `"properties": {"a": {"$ref": "#/$defs/b"}}, "$defs": {"b": {"maxLength": 3}}}`, `schema at #/$defs/b: keyword "maxLength" is not implemented`},
		{head + `"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"not": {"$ref": "#/$defs/a"}}}}`, `$ref cycle`},
		{head + `"items": [true]}`, `prefixItems is not implemented`},
		{head + `"type": "int"}`, `unknown type "int"`},
		{head + `"minLength": -1}`, `minLength must be a non-negative integer`},
		{head + `"pattern": "("}`, `pattern: error parsing regexp`},
		{head + `"properties": {"a": 1}}`, `schema at #/properties/a: a schema must be an object or a boolean`},
	} {
		_, err := compileSchema([]byte(tc.schema))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("compileSchema(%s) = %v, want an error with %q", tc.schema, err, tc.want)
		}
	}
}

// TestCompileSchemaRefsShareNodes: a $ref and the place it points at are
// one node, so that the schema compiles once however often it is used.
func TestCompileSchemaRefsShareNodes(t *testing.T) {
	sch, err := compiledSchema()
	if err != nil {
		t.Fatal(err)
	}
	// targets.ansible is {"$ref": "#/$defs/ansibleTarget"}, which refers
	// to #/$defs/target as targets.drifttest does.
	targets := sch.properties["targets"].properties
	ansible, nftables := targets["ansible"].ref, targets["nftables"].ref
	if ansible.ref == nil || ansible.ref != nftables.ref || ansible.ref != targets["drifttest"].ref {
		t.Fatal("targets do not share #/$defs/target")
	}
	if ansible.properties["cidrs"].ref != nftables.properties["cidrs"].ref {
		t.Error("cidrs are two nodes")
	}
}
