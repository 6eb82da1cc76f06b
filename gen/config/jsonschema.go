package config

// The config's own JSON Schema validator: draft 2020-12, for exactly the
// keywords portspec.schema.json uses and nothing more. A general validator
// compiles the metaschemas of every draft it knows when its package is
// initialised, in every portspec process, whether or not it reads a config
// (issue 16); this one does nothing until the first config is read.
//
// It reports what santhosh-tekuri/jsonschema reported (the same failures at
// the same instance locations, the same words) so that validateSchema turns
// them into the same file:line:col errors. schema_lib_test.go holds the
// proof: the schema is a valid 2020-12 schema per that library, and both
// accept and reject the same configs, with the same errors (a corpus of
// mutated configs and a fuzz target).
//
// A keyword the validator does not implement is a compile error, reported
// at the first config read ("internal error: config schema: ..."), so that
// a schema edit is never silently unchecked: implement the keyword here
// and let the differential test compare it.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// draft202012 is the only dialect the validator implements.
const draft202012 = "https://json-schema.org/draft/2020-12/schema"

// jsonType is a set of JSON types, as the type keyword names them.
type jsonType uint8

const (
	typeNull jsonType = 1 << iota
	typeBoolean
	typeNumber
	typeInteger
	typeString
	typeArray
	typeObject
)

// typeNames are the names of the types of t, in the order the type
// keyword's errors list them.
func typeNames(t jsonType) []string {
	var names []string
	for i, name := range [...]string{"null", "boolean", "number", "integer", "string", "array", "object"} {
		if t&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return names
}

func typeFromName(name string) jsonType {
	for i, n := range [...]string{"null", "boolean", "number", "integer", "string", "array", "object"} {
		if n == name {
			return 1 << i
		}
	}
	return 0
}

// typeOf is the JSON type of a config value (never typeInteger: an
// integer is a number), or 0 for a Go value that is no JSON value.
func typeOf(v any) jsonType {
	switch v := v.(type) {
	case nil:
		return typeNull
	case bool:
		return typeBoolean
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0
		}
		return typeNumber
	case float32:
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return 0
		}
		return typeNumber
	case json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return typeNumber
	case string:
		return typeString
	case []any:
		return typeArray
	case map[string]any:
		return typeObject
	}
	return 0
}

// schemaNode is one compiled (sub)schema. Fields are the zero value when
// the keyword is absent.
type schemaNode struct {
	ptr string // JSON pointer in the schema document, for internal errors

	isBool, boolean bool // a true or false schema

	types          jsonType
	hasConst       bool
	constant       any
	enum           []any
	enumTypes      jsonType
	ref            *schemaNode
	not            *schemaNode
	required       []string
	properties     map[string]*schemaNode // nil without "properties"
	additional     *schemaNode            // additionalProperties given as a schema
	additionalBool *bool                  // additionalProperties given as true or false
	propNames      *schemaNode
	unevaluated    *schemaNode
	items          *schemaNode
	minItems       int // -1: none
	uniqueItems    bool
	minLength      int // -1: none
	pattern        *regexp.Regexp
	minimum        *big.Rat
	maximum        *big.Rat
}

// hasAdditional says whether additionalProperties is given at all.
func (n *schemaNode) hasAdditional() bool { return n.additional != nil || n.additionalBool != nil }

// schemaCompiler turns the schema document into nodes, one per JSON
// pointer, so that a $ref and the place it points at share a node.
type schemaCompiler struct {
	doc      any
	nodes    map[string]*schemaNode
	patterns map[string]*regexp.Regexp // one per source: a pattern is used in several places
}

// compileSchema compiles a draft 2020-12 schema document that uses only
// the keywords this file implements.
func compileSchema(data []byte) (*schemaNode, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("schema: more than one JSON value")
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, errors.New("schema: the document is not an object")
	}
	if root["$schema"] != draft202012 {
		return nil, fmt.Errorf("schema: $schema is %v, want %s (the only draft the config validator implements)", root["$schema"], draft202012)
	}
	c := &schemaCompiler{doc: doc, nodes: map[string]*schemaNode{}, patterns: map[string]*regexp.Regexp{}}
	n, err := c.compile("", doc)
	if err != nil {
		return nil, err
	}
	if err := c.checkCycles(); err != nil {
		return nil, err
	}
	return n, nil
}

func (c *schemaCompiler) errorf(ptr, format string, args ...any) error {
	return fmt.Errorf("schema at #%s: %s", ptr, fmt.Sprintf(format, args...))
}

// compile compiles the schema raw found at ptr (once per pointer).
func (c *schemaCompiler) compile(ptr string, raw any) (*schemaNode, error) {
	if n, ok := c.nodes[ptr]; ok {
		return n, nil
	}
	n := &schemaNode{ptr: ptr, minItems: -1, minLength: -1}
	c.nodes[ptr] = n
	if b, ok := raw.(bool); ok {
		n.isBool, n.boolean = true, b
		return n, nil
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, c.errorf(ptr, "a schema must be an object or a boolean, found %T", raw)
	}
	for _, kw := range slices.Sorted(maps.Keys(obj)) {
		if err := c.keyword(n, ptr, kw, obj[kw]); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// keyword compiles one keyword of the schema at ptr into n.
func (c *schemaCompiler) keyword(n *schemaNode, ptr, kw string, v any) error {
	sub := func(v any, path ...string) (*schemaNode, error) {
		p := ptr + "/" + escapePtr(kw)
		for _, step := range path {
			p += "/" + escapePtr(step)
		}
		return c.compile(p, v)
	}
	var err error
	switch kw {
	case "$schema", "$id":
		// The dialect and the base URI: the root's only (the document
		// is one resource, every $ref is a local "#/..." pointer).
		if ptr != "" {
			return c.errorf(ptr, "%s below the root is not implemented by the config validator", kw)
		}
		if _, ok := v.(string); !ok {
			return c.errorf(ptr, "%s must be a string", kw)
		}
	case "title", "description", "$comment":
		if _, ok := v.(string); !ok {
			return c.errorf(ptr, "%s must be a string", kw)
		}
	case "$defs":
		defs, ok := v.(map[string]any)
		if !ok {
			return c.errorf(ptr, "$defs must be an object")
		}
		// Every definition, used or not, so that each keyword is checked.
		for _, name := range slices.Sorted(maps.Keys(defs)) {
			if _, err := sub(defs[name], name); err != nil {
				return err
			}
		}
	case "type":
		switch t := v.(type) {
		case string:
			n.types = typeFromName(t)
			if n.types == 0 {
				return c.errorf(ptr, "unknown type %q", t)
			}
		case []any:
			for _, item := range t {
				name, _ := item.(string)
				tt := typeFromName(name)
				if tt == 0 || n.types&tt != 0 {
					return c.errorf(ptr, "type: %v is not a type, or is given twice", item)
				}
				n.types |= tt
			}
			if n.types == 0 {
				return c.errorf(ptr, "type: an empty list")
			}
		default:
			return c.errorf(ptr, "type must be a string or a list of strings")
		}
	case "const":
		n.hasConst, n.constant = true, v
	case "enum":
		items, ok := v.([]any)
		if !ok || len(items) == 0 {
			return c.errorf(ptr, "enum must be a non-empty list")
		}
		n.enum = items
		for _, item := range items {
			n.enumTypes |= typeOf(item)
		}
	case "$ref":
		s, ok := v.(string)
		if !ok {
			return c.errorf(ptr, "$ref must be a string")
		}
		target, raw, rerr := c.resolve(s)
		if rerr != nil {
			return c.errorf(ptr, "$ref %q: %v", s, rerr)
		}
		n.ref, err = c.compile(target, raw) // checked after the switch, as every case's
	case "not":
		n.not, err = sub(v)
	case "required":
		items, ok := v.([]any)
		if !ok {
			return c.errorf(ptr, "required must be a list of strings")
		}
		for _, item := range items {
			name, ok := item.(string)
			if !ok || slices.Contains(n.required, name) {
				return c.errorf(ptr, "required: %v is not a string, or is given twice", item)
			}
			n.required = append(n.required, name)
		}
	case "properties":
		props, ok := v.(map[string]any)
		if !ok {
			return c.errorf(ptr, "properties must be an object")
		}
		n.properties = make(map[string]*schemaNode, len(props))
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if n.properties[name], err = sub(props[name], name); err != nil {
				return err
			}
		}
	case "additionalProperties":
		// true and false are kept apart from a schema: false reports
		// every key it refuses in one error, as the reference does.
		if b, ok := v.(bool); ok {
			n.additionalBool = &b
		} else {
			n.additional, err = sub(v)
		}
	case "propertyNames":
		n.propNames, err = sub(v)
	case "unevaluatedProperties":
		n.unevaluated, err = sub(v)
	case "items":
		if _, ok := v.([]any); ok {
			return c.errorf(ptr, "items as a list is not draft 2020-12 (prefixItems is not implemented by the config validator)")
		}
		n.items, err = sub(v)
	case "minItems":
		n.minItems, err = c.count(ptr, kw, v)
	case "minLength":
		n.minLength, err = c.count(ptr, kw, v)
	case "uniqueItems":
		b, ok := v.(bool)
		if !ok {
			return c.errorf(ptr, "uniqueItems must be a boolean")
		}
		n.uniqueItems = b
	case "pattern":
		s, ok := v.(string)
		if !ok {
			return c.errorf(ptr, "pattern must be a string")
		}
		if n.pattern = c.patterns[s]; n.pattern == nil {
			if n.pattern, err = regexp.Compile(s); err != nil {
				return c.errorf(ptr, "pattern: %v", err)
			}
			c.patterns[s] = n.pattern
		}
	case "minimum", "maximum":
		r, ok := ratOf(v)
		if !ok || typeOf(v) != typeNumber {
			return c.errorf(ptr, "%s must be a number", kw)
		}
		if kw == "minimum" {
			n.minimum = r
		} else {
			n.maximum = r
		}
	default:
		return c.errorf(ptr, "keyword %q is not implemented by the config validator (gen/config/jsonschema.go): implement it there, with its case in the differential test (schema_lib_test.go)", kw)
	}
	return err
}

// count reads a non-negative integer keyword (minItems, minLength).
func (c *schemaCompiler) count(ptr, kw string, v any) (int, error) {
	num, _ := v.(json.Number)
	i, err := strconv.Atoi(string(num))
	if err != nil || i < 0 {
		return 0, c.errorf(ptr, "%s must be a non-negative integer, found %v", kw, v)
	}
	return i, nil
}

// resolve finds what a $ref points at: only a JSON pointer into this
// document ("#/$defs/target"), returned with the raw value there.
func (c *schemaCompiler) resolve(ref string) (string, any, error) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok || (frag != "" && !strings.HasPrefix(frag, "/")) {
		return "", nil, errors.New("only a JSON pointer into this document (#/...) is implemented by the config validator")
	}
	frag, err := url.PathUnescape(frag)
	if err != nil {
		return "", nil, err
	}
	v, canonical := c.doc, ""
	for _, tok := range strings.Split(frag, "/")[1:] {
		tok, ok := unescapePtr(tok)
		if !ok {
			return "", nil, errors.New("invalid JSON pointer")
		}
		switch at := v.(type) {
		case map[string]any:
			if v, ok = at[tok]; !ok {
				return "", nil, errors.New("no such place in the schema")
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(at) {
				return "", nil, errors.New("no such place in the schema")
			}
			v = at[i]
		default:
			return "", nil, errors.New("no such place in the schema")
		}
		canonical += "/" + escapePtr(tok)
	}
	return canonical, v, nil
}

func unescapePtr(tok string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		if tok[i] != '~' {
			b.WriteByte(tok[i])
			continue
		}
		if i+1 == len(tok) || (tok[i+1] != '0' && tok[i+1] != '1') {
			return "", false
		}
		b.WriteByte("~/"[tok[i+1]-'0'])
		i++
	}
	return b.String(), true
}

// checkCycles refuses a schema that reaches itself through $ref and not
// without going down into the value: validating with it would not end.
func (c *schemaCompiler) checkCycles() error {
	const (
		visiting = 1
		done     = 2
	)
	state := map[*schemaNode]int{}
	var visit func(n *schemaNode) error
	visit = func(n *schemaNode) error {
		switch state[n] {
		case visiting:
			return c.errorf(n.ptr, "$ref cycle: the schema applies itself to the same value")
		case done:
			return nil
		}
		state[n] = visiting
		for _, next := range []*schemaNode{n.ref, n.not} {
			if next != nil {
				if err := visit(next); err != nil {
					return err
				}
			}
		}
		state[n] = done
		return nil
	}
	for _, ptr := range slices.Sorted(maps.Keys(c.nodes)) {
		if err := visit(c.nodes[ptr]); err != nil {
			return err
		}
	}
	return nil
}
