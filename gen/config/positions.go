package config

import (
	"encoding/json"
	"fmt"
	"go/token"
	"strings"

	"github.com/portspec/portspec/internal/yamlerr"
	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// positions records where each key and each value of a config file is,
// under its JSON pointer ("/targets/go/dir"). It is the one way a position
// is found: the schema's errors (validateSchema) and the config's own
// (Jobs) both look here.
type positions struct {
	file   string
	keys   map[string]token.Position // the key that names a member
	values map[string]token.Position // the member's value (the root's: "")
}

func newPositions(file string) positions {
	return positions{file: file, keys: map[string]token.Position{}, values: map[string]token.Position{}}
}

// key is the position of the key at the end of path, or, for an element of
// a list (which has no key), of its value.
func (p positions) key(path ...string) token.Position {
	if at, ok := p.keys[pointer(path)]; ok {
		return at
	}
	return p.at(path)
}

// at is the position of the value at path, or of the nearest enclosing
// value that exists (the object a missing key belongs in), or of the file.
func (p positions) at(path []string) token.Position {
	for i := len(path); i >= 0; i-- {
		if at, ok := p.values[pointer(path[:i])]; ok {
			return at
		}
	}
	return token.Position{Filename: p.fileName(), Line: 1, Column: 1}
}

// fileName is the file the positions are in: ConfigFile for a Config that
// was not read from a file.
func (p positions) fileName() string {
	if p.file == "" {
		return ConfigFile
	}
	return p.file
}

// value turns the YAML node n at ptr into the JSON-like value the schema
// validator takes, recording the position of every key and value below it.
// Duplicate keys, anchors and non-string keys are errors: a config should
// read the same to a person and to portspec.
func (p positions) value(n *yaml.Node, ptr string, errs *spec.Errors) any {
	at := token.Position{Filename: p.file, Line: n.Line, Column: n.Column}
	p.values[ptr] = at
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return p.value(n.Content[0], ptr, errs)
	case yaml.AliasNode:
		errs.Add(at, "aliases (*%s) are not supported in portspec.yaml: write the value out", n.Value)
		return nil
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kpos := token.Position{Filename: p.file, Line: k.Line, Column: k.Column}
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "!!str") {
				errs.Add(kpos, "merge keys (<<) are not supported in portspec.yaml: write the keys out")
				continue
			}
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != "!!int") {
				errs.Add(kpos, "keys must be plain strings, found %s", yamlerr.Kind(k))
				continue
			}
			child := ptr + "/" + escapePtr(k.Value)
			if _, dup := m[k.Value]; dup {
				errs.Add(kpos, "key %q is given twice (first at line %d)", k.Value, p.keys[child].Line)
				continue
			}
			p.keys[child] = kpos
			m[k.Value] = p.value(v, child, errs)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			s = append(s, p.value(c, fmt.Sprintf("%s/%d", ptr, i), errs))
		}
		return s
	}
	var v any
	if err := n.Decode(&v); err != nil {
		errs.Add(at, "%v", err)
		return nil
	}
	if f, ok := v.(float64); ok {
		return json.Number(fmt.Sprint(f))
	}
	if i, ok := v.(int); ok {
		return json.Number(fmt.Sprint(i))
	}
	return v
}

// pointer is the JSON pointer of a path of keys ("" for the root).
func pointer(path []string) string {
	var b strings.Builder
	for _, step := range path {
		b.WriteString("/" + escapePtr(step))
	}
	return b.String()
}

func escapePtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
