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
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaPath is where the config's JSON Schema lives in this repository;
// editors find it through the `# yaml-language-server: $schema=` line.
const SchemaPath = "gen/config/portspec.schema.json"

//go:embed portspec.schema.json
var schema []byte

// Schema returns the JSON Schema of portspec.yaml (a copy: the embedded one
// is what ParseConfig validates against and cannot be changed).
func Schema() []byte { return bytes.Clone(schema) }

// compiledSchema compiles the embedded schema once; it is immutable after.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	const url = "portspec.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
})

// validateSchema checks a config value against the schema, adding one error
// per failed leaf at the position of the offending key or value.
func validateSchema(inst any, pos positions, errs *spec.Errors) {
	sch, err := compiledSchema()
	if err != nil {
		errs.Add(token.Position{Filename: pos.file}, "internal error: config schema: %v", err)
		return
	}
	err = sch.Validate(inst)
	if err == nil {
		return
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		errs.Add(token.Position{Filename: pos.file, Line: 1, Column: 1}, "%v", err)
		return
	}
	p := message.NewPrinter(language.English)
	all := leaves(ve)
	// A key whose value fails its own schema also counts as unevaluated
	// (unevaluatedProperties): report only the real failure.
	failed := map[string]bool{}
	for _, leaf := range all {
		if _, ok := leaf.ErrorKind.(*kind.FalseSchema); !ok {
			failed[strings.Join(leaf.InstanceLocation, "/")] = true
		}
	}
	for _, leaf := range all {
		if _, ok := leaf.ErrorKind.(*kind.FalseSchema); ok && failed[strings.Join(leaf.InstanceLocation, "/")] {
			continue
		}
		loc := leaf.InstanceLocation
		switch k := leaf.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			// Point at each unknown key itself, not at its parent object.
			props := append([]string(nil), k.Properties...)
			sort.Strings(props)
			for _, prop := range props {
				errs.Add(pos.key(append(slices.Clip(loc), prop)...), "unknown key %q%s", prop, where(loc))
			}
		case *kind.FalseSchema:
			// unevaluatedProperties: false reports the value of a key
			// that no schema allows.
			if len(loc) > 0 {
				errs.Add(pos.key(loc...), "unknown key %q%s", loc[len(loc)-1], where(loc[:len(loc)-1]))
			} else {
				errs.Add(pos.at(loc), "not allowed here")
			}
		case *kind.PropertyNames:
			if owner := keyOwner(sch, inst, len(loc), k.Property); len(owner) == len(loc) {
				loc = owner
			}
			errs.Add(pos.key(append(slices.Clip(loc), k.Property)...), "invalid key %q%s: %s", k.Property, where(loc), keyHint(loc))
		case *kind.Const:
			if v, ok := valueAt(inst, loc).(string); ok && len(loc) == 1 && loc[0] == "version" {
				errs.Add(pos.at(loc), "version must be the number 1, not the string %q: write version: 1, without quotes", v)
				continue
			}
			errs.Add(pos.at(loc), "%s%s", leaf.ErrorKind.LocalizedString(p), where(loc))
		case *kind.Not:
			// The schema uses "not" only to keep a dir inside out.
			errs.Add(pos.at(loc), "must be a relative path inside out, without \"..\"%s", where(loc))
		default:
			errs.Add(pos.at(loc), "%s%s", leaf.ErrorKind.LocalizedString(p), where(loc))
		}
	}
}

// keyOwner finds the object whose key failed propertyNames. The validator
// keeps that object's location without copying it
// (santhosh-tekuri/jsonschema#269), so that a sibling validated after it can
// overwrite it in place: only its depth is sure. The owner is the object at
// that depth that holds the key and whose schema has propertyNames (the
// first in key order, should there be more).
func keyOwner(sch *jsonschema.Schema, inst any, depth int, key string) []string {
	var at []string
	var walk func(s *jsonschema.Schema, v any) bool
	walk = func(s *jsonschema.Schema, v any) bool {
		for s != nil && s.Ref != nil && s.Properties == nil && s.PropertyNames == nil {
			s = s.Ref
		}
		m, ok := v.(map[string]any)
		if s == nil || !ok {
			return false
		}
		if len(at) == depth {
			_, has := m[key]
			return has && s.PropertyNames != nil
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			child := s.Properties[k]
			if child == nil {
				child, _ = s.AdditionalProperties.(*jsonschema.Schema)
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

// leaves returns the errors that have no causes (the actual failures), and
// a propertyNames error whole: its cause only repeats it for the key.
func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if _, ok := e.ErrorKind.(*kind.PropertyNames); ok || len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
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
