package gen

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name `portspec generate` looks for in the working folder.
const ConfigFile = "portspec.yaml"

// DefaultOut is the output root when neither the config nor a flag names one.
const DefaultOut = "generated"

// Config is portspec.yaml. Its JSON Schema is gen/schema/portspec.schema.json;
// ParseConfig validates against that schema, so the schema is the one
// definition of what a valid config is.
type Config struct {
	Version int `json:"version"`
	// Input is a file path (relative to the config's folder), an https URL,
	// or "" for the embedded default document.
	Input string `json:"input,omitempty"`
	// Out is the output root, relative to the config's folder.
	Out string `json:"out,omitempty"`
	// Targets holds each target's options object, raw. The engine reads
	// "dir" and "enabled" from it; the rest goes to the target.
	Targets map[string]json.RawMessage `json:"targets,omitempty"`
	// Idents are the Go identifier overrides ("Group/PROTO/port": Name).
	Idents map[string]string `json:"idents,omitempty"`

	// Dir is the folder the config was read from ("" for the defaults):
	// Input and Out are relative to it.
	Dir string `json:"-"`
	// positions of the config's keys, for errors found after the schema.
	pos map[string]token.Position
}

// DefaultConfig is the configuration used when there is no portspec.yaml:
// the embedded default document, written under "generated".
func DefaultConfig() *Config {
	return &Config{Version: 1}
}

// LoadConfig reads and validates a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := ParseConfig(path, data)
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(path)
	return c, nil
}

// Path resolves a file the config names (its input, a target's file)
// against the config's folder. "" (the embedded default), "-" (standard
// input), absolute paths and URLs stay as they are.
func (c *Config) Path(p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) || strings.Contains(p, "://") {
		return p
	}
	return filepath.Join(c.Dir, filepath.FromSlash(p))
}

// OutRoot is the output root: Out (DefaultOut when empty) against the
// config's folder.
func (c *Config) OutRoot() string {
	out := c.Out
	if out == "" {
		out = DefaultOut
	}
	if filepath.IsAbs(out) {
		return out
	}
	return filepath.Join(c.Dir, filepath.FromSlash(out))
}

// ParseConfig reads a config from YAML, validating it against the schema.
// Errors are a spec.ErrorList, every entry "file:line:col: message".
func ParseConfig(name string, data []byte) (*Config, error) {
	var errs spec.Errors
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		errs.Add(yamlErrPos(name, err), "%s", yamlErrMsg(err))
		return nil, errs.Err()
	}
	if len(root.Content) == 0 {
		errs.Add(token.Position{Filename: name, Line: 1, Column: 1}, "empty config: write at least \"version: 1\"")
		return nil, errs.Err()
	}
	pos := map[string]token.Position{}
	inst := nodeValue(name, root.Content[0], "", pos, &errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	validateSchema(name, inst, root.Content[0], &errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	raw, err := json.Marshal(inst)
	if err != nil {
		return nil, err
	}
	var c Config
	if err := json.Unmarshal(raw, &c); err != nil {
		errs.Add(token.Position{Filename: name, Line: 1, Column: 1}, "%v", err)
		return nil, errs.Err()
	}
	c.pos = pos
	return &c, nil
}

// posOf returns the position of a config key given as a JSON pointer
// ("/targets/go/dir"), or of the file when unknown.
func (c *Config) posOf(ptr string) token.Position {
	if p, ok := c.pos[ptr]; ok {
		return p
	}
	return token.Position{Filename: c.name(), Line: 1, Column: 1}
}

func (c *Config) name() string {
	for _, p := range c.pos {
		return p.Filename
	}
	return ConfigFile
}

// nodeValue turns a YAML node into the JSON-like value the schema
// validator takes, recording the position of every key and value under its
// JSON pointer. Duplicate keys, anchors and non-string keys are errors: a
// config should read the same to a person and to portspec.
func nodeValue(file string, n *yaml.Node, ptr string, pos map[string]token.Position, errs *spec.Errors) any {
	at := token.Position{Filename: file, Line: n.Line, Column: n.Column}
	if _, ok := pos[ptr]; !ok {
		pos[ptr] = at
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return nodeValue(file, n.Content[0], ptr, pos, errs)
	case yaml.AliasNode:
		errs.Add(at, "aliases (*%s) are not supported in portspec.yaml: write the value out", n.Value)
		return nil
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			kpos := token.Position{Filename: file, Line: k.Line, Column: k.Column}
			if k.Kind != yaml.ScalarNode || (k.Tag != "!!str" && k.Tag != "!!int") {
				errs.Add(kpos, "keys must be plain strings")
				continue
			}
			if k.Value == "<<" {
				errs.Add(kpos, "merge keys (<<) are not supported in portspec.yaml: write the keys out")
				continue
			}
			if _, dup := m[k.Value]; dup {
				errs.Add(kpos, "key %q is given twice (first at line %d)", k.Value, pos[ptr+"/"+escapePtr(k.Value)].Line)
				continue
			}
			child := ptr + "/" + escapePtr(k.Value)
			pos[child] = kpos
			m[k.Value] = nodeValue(file, v, child, pos, errs)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			s = append(s, nodeValue(file, c, fmt.Sprintf("%s/%d", ptr, i), pos, errs))
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

func escapePtr(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// yamlErrPos finds the line in a yaml.v3 error ("yaml: line 3: …").
func yamlErrPos(file string, err error) token.Position {
	p := token.Position{Filename: file, Line: 1, Column: 1}
	var line int
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		if _, e := fmt.Sscanf(msg[i:], "line %d", &line); e == nil && line > 0 {
			p.Line = line
		}
	}
	return p
}

func yamlErrMsg(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "line ") {
		msg = msg[i+2:]
	}
	return "invalid YAML: " + msg
}
