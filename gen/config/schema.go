package config

import (
	"bytes"
	_ "embed"
	"go/token"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/portspec/portspec/spec"
)

// SchemaPath is where the config's JSON Schema lives in this repository;
// editors find it through the `# yaml-language-server: $schema=` line.
const SchemaPath = "gen/config/portspec.schema.json"

//go:embed portspec.schema.json
var schema []byte

// Schema returns the JSON Schema of portspec.yaml (a copy: the embedded one
// is what ParseConfig validates against and cannot be changed).
func Schema() []byte { return bytes.Clone(schema) }

// compiledSchema compiles the embedded schema once, at the first config
// read (never at package init: see jsonschema.go); it is immutable after.
var compiledSchema = sync.OnceValues(func() (*schemaNode, error) {
	return compileSchema(schema)
})

// validateSchema checks a config value against the schema, adding one error
// per failed leaf at the position of the offending key or value.
func validateSchema(inst any, pos positions, errs *spec.Errors) {
	sch, err := compiledSchema()
	validateWith(sch, err, inst, pos, errs)
}

// validateWith is validateSchema with the compiled schema, or the error
// that compiling it gave.
func validateWith(sch *schemaNode, err error, inst any, pos positions, errs *spec.Errors) {
	if err != nil {
		errs.Add(token.Position{Filename: pos.file}, "internal error: config schema: %v", err)
		return
	}
	all := sch.validate(inst)
	if len(all) == 0 {
		return
	}
	// A key whose value fails its own schema also counts as unevaluated
	// (unevaluatedProperties): report only the real failure.
	failed := map[string]bool{}
	for _, leaf := range all {
		if leaf.kind != kindFalse {
			failed[strings.Join(leaf.loc, "/")] = true
		}
	}
	for _, leaf := range all {
		if leaf.kind == kindFalse && failed[strings.Join(leaf.loc, "/")] {
			continue
		}
		loc := leaf.loc
		switch leaf.kind {
		case kindAdditional:
			// Point at each unknown key itself, not at its parent object.
			props := append([]string(nil), leaf.keys...)
			sort.Strings(props)
			for _, prop := range props {
				errs.Add(pos.key(append(slices.Clip(loc), prop)...), "unknown key %q%s", prop, where(loc))
			}
		case kindFalse:
			// unevaluatedProperties: false reports the value of a key
			// that no schema allows.
			if len(loc) > 0 {
				errs.Add(pos.key(loc...), "unknown key %q%s", loc[len(loc)-1], where(loc[:len(loc)-1]))
			} else {
				errs.Add(pos.at(loc), "not allowed here")
			}
		case kindPropertyNames:
			if owner := keyOwner(sch, inst, len(loc), leaf.key); len(owner) == len(loc) {
				loc = owner
			}
			errs.Add(pos.key(append(slices.Clip(loc), leaf.key)...), "invalid key %q%s: %s", leaf.key, where(loc), keyHint(loc))
		case kindConst:
			if v, ok := valueAt(inst, loc).(string); ok && len(loc) == 1 && loc[0] == "version" {
				errs.Add(pos.at(loc), "version must be the number 1, not the string %q: write version: 1, without quotes", v)
				continue
			}
			errs.Add(pos.at(loc), "%s%s", leaf.msg, where(loc))
		case kindNot:
			// The schema uses "not" only to keep a dir inside out.
			errs.Add(pos.at(loc), "must be a relative path inside out, without \"..\"%s", where(loc))
		default:
			errs.Add(pos.at(loc), "%s%s", leaf.msg, where(loc))
		}
	}
}

// keyOwner finds the object whose key failed propertyNames: the object at
// that depth that holds the key and whose schema has propertyNames (the
// first in key order, should there be more). The validator this package
// used before its own kept that object's location without copying it
// (santhosh-tekuri/jsonschema#269), so that only its depth was sure; ours
// reports the right location, which keyOwner confirms, and the reference
// validator of the differential test (schema_lib_test.go) still needs it.
func keyOwner(sch *schemaNode, inst any, depth int, key string) []string {
	var at []string
	var walk func(s *schemaNode, v any) bool
	walk = func(s *schemaNode, v any) bool {
		for s != nil && s.ref != nil && s.properties == nil && s.propNames == nil {
			s = s.ref
		}
		m, ok := v.(map[string]any)
		if s == nil || !ok {
			return false
		}
		if len(at) == depth {
			_, has := m[key]
			return has && s.propNames != nil
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			child := s.properties[k]
			if child == nil {
				child = s.additional
			}
			at = append(at, k)
			if walk(child, m[k]) {
				return true
			}
			at = at[:len(at)-1]
		}
		return false
	}
	walk(sch, inst)
	return at
}

// keyHint says what keys an object takes, for a key that does not fit.
func keyHint(loc []string) string {
	if len(loc) == 1 && loc[0] == "idents" {
		return `write "Group/PROTOCOL/port" or "Group/PROTOCOL/first-last", PROTOCOL TCP or UDP (for example "MastersToNodes/TCP/10250")`
	}
	return "not a valid key here"
}

func where(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	return " (at " + strings.Join(loc, ".") + ")"
}

// valueAt is the value of inst at loc, or nil.
func valueAt(inst any, loc []string) any {
	for _, k := range loc {
		m, ok := inst.(map[string]any)
		if !ok {
			return nil
		}
		inst = m[k]
	}
	return inst
}
