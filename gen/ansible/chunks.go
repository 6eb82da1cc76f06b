package ansible

import (
	"bytes"
	"maps"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// rulesKey is the key of Vars.Rules, the one value that grows with the
// document.
const rulesKey = "portspec_rules"

// encodeVars writes v as yaml.v3 writes it as one document, with memory
// bounded by the largest single rule instead of the whole file: each
// top-level key is encoded on its own, and under portspec_rules each rule
// is encoded on its own (by ruleWriter, emit.go) and indented to its place. That gives the same
// bytes because the emitter never wraps lines (its width is unlimited) and
// every scalar a rule holds is on one line: the document's text is
// double-quoted (Unsafe), the rest is ours. TestMarshalMatchesWholeDocument
// compares both encodings.
func encodeVars(b *bytes.Buffer, v *Vars) error {
	var c chunker
	rv := reflect.ValueOf(v).Elem()
	for i := range rv.NumField() {
		key, _, _ := strings.Cut(rv.Type().Field(i).Tag.Get("yaml"), ",")
		if key != rulesKey {
			if err := c.encode(b, "", map[string]any{key: rv.Field(i).Interface()}); err != nil {
				return err
			}
			continue
		}
		if len(v.Rules) == 0 {
			// As one document has it: an empty map in flow style.
			if err := c.encode(b, "", map[string]map[string][]Rule{key: {}}); err != nil {
				return err
			}
			continue
		}
		b.WriteString(key + ":\n")
		w := newRuleWriter(&c)
		w.prepare(v.Rules)
		// yaml.v3 sorts a map's keys; the roles are plain lower-case
		// words, for which its order is the bytes' order.
		for _, role := range slices.Sorted(maps.Keys(v.Rules)) {
			rules := v.Rules[role]
			if len(rules) == 0 {
				if err := c.encode(b, "  ", map[string][]Rule{role: {}}); err != nil {
					return err
				}
				continue
			}
			// The role's key (through yaml.v3 unless it is a plain word),
			// then each rule as a one-item list at the key's depth + 2.
			first := 0
			if k, plain := knownForm(role); plain && k == role {
				b.WriteString("  " + role + ":\n")
			} else {
				if err := c.encode(b, "  ", map[string][]Rule{role: rules[:1]}); err != nil {
					return err
				}
				first = 1
			}
			for i := first; i < len(rules); i++ {
				if err := w.write(b, "    ", &rules[i]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// chunker encodes one value at a time with a fresh encoder (an encoder's
// events live as long as it does), reusing one buffer.
type chunker struct{ buf bytes.Buffer }

// encode writes v as a yaml.v3 document with indent 2, each non-empty line
// prefixed with indent.
func (c *chunker) encode(b *bytes.Buffer, indent string, v any) error {
	c.buf.Reset()
	enc := yaml.NewEncoder(&c.buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if indent == "" {
		b.Write(c.buf.Bytes())
		return nil
	}
	for line := range bytes.Lines(c.buf.Bytes()) {
		if len(line) > 1 {
			b.WriteString(indent)
		}
		b.Write(line)
	}
	return nil
}
