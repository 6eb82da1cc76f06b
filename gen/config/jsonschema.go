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
	"unicode/utf8"
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
		target, raw, err := c.resolve(s)
		if err != nil {
			return c.errorf(ptr, "$ref %q: %v", s, err)
		}
		n.ref, err = c.compile(target, raw)
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

// errorKind is what validateSchema needs to know of a failure to word it.
type errorKind uint8

const (
	kindOther         errorKind = iota // msg says it all
	kindFalse                          // a false schema (unevaluatedProperties: false)
	kindAdditional                     // additionalProperties: false; keys are the keys refused
	kindPropertyNames                  // propertyNames; key is the key refused
	kindConst                          // const
	kindNot                            // not
)

// schemaError is one failure: what the reference validator calls a leaf
// of its error tree.
type schemaError struct {
	loc  []string // instance location: the keys and indexes down to the value
	kind errorKind
	keys []string
	key  string
	msg  string
}

// schemaValidator validates one instance.
type schemaValidator struct {
	loc   []string
	errs  []schemaError
	quiet int // > 0: only whether it fails counts (inside not, propertyNames)
}

// validate returns every failure of inst against the schema n.
func (n *schemaNode) validate(inst any) []schemaError {
	vd := &schemaValidator{loc: make([]string, 0, 8)}
	vd.value(n, inst, nil)
	return vd.errs
}

func (vd *schemaValidator) fail(e schemaError) {
	if vd.quiet == 0 {
		e.loc = slices.Clone(vd.loc)
		vd.errs = append(vd.errs, e)
	}
}

func (vd *schemaValidator) failf(k errorKind, format string, args ...any) {
	if vd.quiet == 0 {
		vd.fail(schemaError{kind: k, msg: fmt.Sprintf(format, args...)})
	}
}

// at validates the member v of the current value, under key.
func (vd *schemaValidator) at(key string, n *schemaNode, v any) bool {
	vd.loc = append(vd.loc, key)
	ok := vd.value(n, v, nil)
	vd.loc = vd.loc[:len(vd.loc)-1]
	return ok
}

// value validates v against n and reports whether it is valid. When
// evaluated is not nil and v is a valid object, the keys n evaluates
// (properties, additionalProperties, unevaluatedProperties, and those of
// its $ref when that is valid) are added to it: unevaluatedProperties
// takes the rest.
func (vd *schemaValidator) value(n *schemaNode, v any, evaluated map[string]bool) bool {
	if n.isBool {
		if !n.boolean {
			vd.fail(schemaError{kind: kindFalse, msg: "false schema"})
		}
		return n.boolean
	}
	t := typeOf(v)
	if t == 0 {
		vd.failf(kindOther, "invalid jsonType %T", v)
		return false
	}
	// type, const and enum: a failure ends the schema's checks.
	if n.types != 0 && n.types&t == 0 && !(n.types&typeInteger != 0 && t == typeNumber && isInteger(v)) {
		vd.failf(kindOther, "got %s, want %s", typeNames(t)[0], strings.Join(typeNames(n.types), " or "))
		return false
	}
	if n.hasConst {
		if ok, bad := jsonEqual(v, n.constant); bad != nil {
			vd.failf(kindOther, "invalid jsonType %T", bad)
			return false
		} else if !ok {
			if isComposite(n.constant) {
				vd.failf(kindConst, "'const' failed")
			} else {
				vd.failf(kindConst, "value must be %s", display(n.constant))
			}
			return false
		}
	}
	if n.enum != nil {
		matched := false
		if n.enumTypes&t != 0 {
			for _, item := range n.enum {
				ok, bad := jsonEqual(v, item)
				if bad != nil {
					vd.failf(kindOther, "invalid jsonType %T", bad)
					return false
				}
				if ok {
					matched = true
					break
				}
			}
		}
		if !matched {
			vd.failf(kindOther, "%s", enumMessage(n.enum))
			return false
		}
	}

	ok := true
	obj, isObj := v.(map[string]any)
	var mine map[string]bool
	if isObj && (evaluated != nil || n.unevaluated != nil) {
		mine = map[string]bool{}
	}
	if n.ref != nil && !vd.value(n.ref, v, mine) {
		ok = false // and the keys it evaluates stay unevaluated
	}
	switch v := v.(type) {
	case map[string]any:
		ok = vd.object(n, v, mine) && ok
	case []any:
		ok = vd.array(n, v) && ok
	case string:
		ok = vd.string(n, v) && ok
	case bool, nil:
	default:
		ok = vd.number(n, v) && ok
	}
	if n.not != nil {
		vd.quiet++
		matched := vd.value(n.not, v, nil)
		vd.quiet--
		if matched {
			vd.failf(kindNot, "'not' failed")
			ok = false
		}
	}
	if isObj && n.unevaluated != nil {
		for k, member := range obj {
			if !mine[k] {
				ok = vd.at(k, n.unevaluated, member) && ok
			}
		}
		for k := range obj {
			mine[k] = true
		}
	}
	if ok && evaluated != nil {
		for k := range mine {
			evaluated[k] = true
		}
	}
	return ok
}

func (vd *schemaValidator) object(n *schemaNode, obj map[string]any, evaluated map[string]bool) bool {
	ok := true
	if len(n.required) > 0 {
		var missing []string
		for _, name := range n.required {
			if _, has := obj[name]; !has {
				missing = append(missing, name)
			}
		}
		switch len(missing) {
		case 0:
		case 1:
			vd.failf(kindOther, "missing property %s", quote(missing[0]))
			ok = false
		default:
			vd.failf(kindOther, "missing properties %s", joinQuoted(missing))
			ok = false
		}
	}
	var refused []string
	for k, member := range obj {
		done := false
		if ps, has := n.properties[k]; has {
			done = true
			ok = vd.at(k, ps, member) && ok
		}
		if !done && n.hasAdditional() {
			done = true
			if n.additional != nil {
				ok = vd.at(k, n.additional, member) && ok
			} else if !*n.additionalBool {
				refused = append(refused, k)
			}
		}
		if done && evaluated != nil {
			evaluated[k] = true
		}
	}
	if len(refused) > 0 {
		if vd.quiet == 0 {
			vd.fail(schemaError{kind: kindAdditional, keys: refused, msg: "additional properties " + joinQuoted(refused) + " not allowed"})
		}
		ok = false
	}
	if n.propNames != nil {
		for k := range obj {
			vd.quiet++
			valid := vd.value(n.propNames, k, nil)
			vd.quiet--
			if !valid {
				vd.fail(schemaError{kind: kindPropertyNames, key: k, msg: "invalid propertyName " + quote(k)})
				ok = false
			}
		}
	}
	return ok
}

func (vd *schemaValidator) array(n *schemaNode, arr []any) bool {
	ok := true
	if n.minItems >= 0 && len(arr) < n.minItems {
		vd.failf(kindOther, "minItems: got %s, want %s", localInt(len(arr)), localInt(n.minItems))
		ok = false
	}
	if n.uniqueItems {
	dup:
		for i := 1; i < len(arr); i++ {
			for j := 0; j < i; j++ {
				same, bad := jsonEqual(arr[i], arr[j])
				if bad != nil {
					vd.failf(kindOther, "invalid jsonType %T", bad)
					ok = false
					break dup
				}
				if same {
					vd.failf(kindOther, "items at %s and %s are equal", localInt(j), localInt(i))
					ok = false
					break dup
				}
			}
		}
	}
	if n.items != nil {
		for i, item := range arr {
			ok = vd.at(strconv.Itoa(i), n.items, item) && ok
		}
	}
	return ok
}

func (vd *schemaValidator) string(n *schemaNode, s string) bool {
	ok := true
	if n.minLength >= 0 {
		if l := utf8.RuneCountInString(s); l < n.minLength {
			vd.failf(kindOther, "minLength: got %s, want %s", localInt(l), localInt(n.minLength))
			ok = false
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		vd.failf(kindOther, "%s does not match pattern %s", quote(s), quote(n.pattern.String()))
		ok = false
	}
	return ok
}

func (vd *schemaValidator) number(n *schemaNode, v any) bool {
	if n.minimum == nil && n.maximum == nil {
		return true
	}
	num, valid := ratOf(v)
	if !valid {
		// json.Number("NaN"), as a config's .nan becomes: no number to
		// compare (the schema has type integer wherever it has bounds).
		vd.failf(kindOther, "got %v, want a number", v)
		return false
	}
	ok := true
	if n.minimum != nil && num.Cmp(n.minimum) < 0 {
		vd.failf(kindOther, "minimum: got %s, want %s", localRat(num), localRat(n.minimum))
		ok = false
	}
	if n.maximum != nil && num.Cmp(n.maximum) > 0 {
		vd.failf(kindOther, "maximum: got %s, want %s", localRat(num), localRat(n.maximum))
		ok = false
	}
	return ok
}

// ratOf is a number's exact value.
func ratOf(v any) (*big.Rat, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case int:
		s = strconv.Itoa(v)
	default:
		s = fmt.Sprint(v)
	}
	return new(big.Rat).SetString(s)
}

func isInteger(v any) bool {
	r, ok := ratOf(v)
	return ok && r.IsInt()
}

// jsonEqual compares two JSON values, numbers by value (1 equals 1.0).
// bad is a Go value met that is no JSON value.
func jsonEqual(a, b any) (same bool, bad any) {
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false, nil
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok {
				return false, nil
			}
			if same, bad := jsonEqual(av, bv); !same || bad != nil {
				return same, bad
			}
		}
		return true, nil
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false, nil
		}
		for i := range a {
			if same, bad := jsonEqual(a[i], b[i]); !same || bad != nil {
				return same, bad
			}
		}
		return true, nil
	case nil:
		return b == nil, nil
	case bool:
		b, ok := b.(bool)
		return ok && a == b, nil
	case string:
		b, ok := b.(string)
		return ok && a == b, nil
	case json.Number, float32, float64, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		if typeOf(b) != typeNumber {
			return false, nil
		}
		ra, oka := ratOf(a)
		rb, okb := ratOf(b)
		return oka && okb && ra.Cmp(rb) == 0, nil
	}
	return false, a
}

func isComposite(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

func enumMessage(want []any) string {
	if slices.ContainsFunc(want, isComposite) {
		return "'enum' failed"
	}
	if len(want) == 1 {
		return "value must be " + display(want[0])
	}
	parts := make([]string, len(want))
	for i, v := range want {
		parts[i] = display(v)
	}
	return "value must be one of " + strings.Join(parts, ", ")
}

// quote single-quotes s the way the errors have always shown values.
func quote(s string) string {
	s = strconv.Quote(s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

func joinQuoted(ss []string) string {
	parts := make([]string, len(ss))
	for i, s := range ss {
		parts[i] = quote(s)
	}
	return strings.Join(parts, ", ")
}

// display is a primitive value as the errors show it.
func display(v any) string {
	if s, ok := v.(string); ok {
		return quote(s)
	}
	return fmt.Sprint(v)
}

// localInt writes an integer in English with thousands separators
// (65,535), as the errors have always done.
func localInt(i int) string {
	s := strconv.Itoa(i)
	if digits, neg := strings.CutPrefix(s, "-"); neg {
		return "-" + groupThousands(digits)
	}
	return groupThousands(s)
}

func groupThousands(digits string) string {
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// localRat writes a number as English %v writes its float64: the shortest
// digits, grouped (65,535, 1.5) or, from 10⁶ and below 10⁻⁴, scientific
// (1.234567×10⁰⁶, 1×10⁻⁰⁵).
func localRat(r *big.Rat) string {
	f, _ := r.Float64()
	return localFloat(f)
}

func localFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	case f == 0:
		return "0" // -0 too
	}
	sign := ""
	if math.Signbit(f) {
		sign, f = "-", -f
	}
	// Shortest digits and exponent: d.ddde±XX.
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exps, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(exps)
	digits := strings.Replace(mant, ".", "", 1)
	if exp < -4 || exp >= 6 {
		var b strings.Builder
		b.WriteString(sign + mant + "×10")
		if exp < 0 {
			b.WriteString("⁻")
			exp = -exp
		}
		es := strconv.Itoa(exp)
		if len(es) < 2 {
			es = "0" + es
		}
		for _, d := range es {
			b.WriteRune([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[d-'0'])
		}
		return b.String()
	}
	var intPart, frac string
	if exp < 0 {
		intPart, frac = "0", strings.Repeat("0", -exp-1)+digits
	} else if len(digits) <= exp+1 {
		intPart = digits + strings.Repeat("0", exp+1-len(digits))
	} else {
		intPart, frac = digits[:exp+1], digits[exp+1:]
	}
	s := sign + groupThousands(intPart)
	if frac != "" {
		s += "." + frac
	}
	return s
}
