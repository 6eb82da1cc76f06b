package config

// Validating a config value with the compiled schema (jsonschema.go):
// the same checks, in the same order, as the reference library, down to
// which failure ends a schema's checks and which keys count as evaluated
// for unevaluatedProperties.

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
// its $ref, valid or not) are added to it: unevaluatedProperties
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
		ok = false
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
	// The keys a schema evaluates count as evaluated for its parent's
	// unevaluatedProperties even when it fails. JSON Schema drops a failed
	// schema's annotations, so a library would also report every valid key
	// beside the invalid one as unknown (`dir: ../x` made `enabled: true`
	// "unknown key"); the verdict is the same, the one real error is
	// reported alone.
	if evaluated != nil {
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
