// Package config is portspec.yaml: reading it (LoadConfig, ParseConfig),
// validating it against its JSON Schema (Schema, SchemaPath) with every
// error at its file:line:col, and resolving it against the targets into
// jobs (Config.Jobs): which target runs in which folder with which options.
// gen/driver runs the jobs.
package config

import (
	"bytes"
	"encoding/json"
	"go/token"
	"io"
	"path/filepath"
	"strings"

	"github.com/portspec/portspec/internal/regfile"
	"github.com/portspec/portspec/internal/yamlerr"
	"github.com/portspec/portspec/parser"

	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name `portspec generate` looks for in the working folder.
const ConfigFile = "portspec.yaml"

// DefaultOut is the output root when neither the config nor a flag names one.
const DefaultOut = "generated"

// Config is portspec.yaml. Its JSON Schema is SchemaPath (Schema returns it);
// ParseConfig validates against that schema, so the schema is the one
// definition of what a valid config is.
type Config struct {
	Version int `json:"version"`
	// Input is a file path (relative to the config's folder), an https URL,
	// or "" for the embedded default document.
	Input string `json:"input,omitempty"`
	// Out is the output root, relative to the config's folder.
	Out string `json:"out,omitempty"`
	// Targets holds each target's options object, raw. Jobs reads "dir"
	// and "enabled" from it; the rest goes to the target.
	Targets map[string]json.RawMessage `json:"targets,omitempty"`
	// Idents are the Go identifier overrides ("Group/PROTO/port": Name).
	Idents map[string]string `json:"idents,omitempty"`
	// Clients are the site's own entries of the clients table, before the
	// defaults (ClientTable).
	Clients []ClientEntry `json:"clients,omitempty"`
	// Overlay is the site's own changes on top of the document
	// (SiteOverlay).
	Overlay *OverlaySection `json:"overlay,omitempty"`
	// Sources are the bases the version sources (deckhouse@REF,
	// deckhouse-site@VERSION) are fetched from: a mirror, or the cluster's
	// own documentation module. Empty fields are the defaults.
	Sources parser.Sources `json:"sources,omitzero"`

	// Dir is the folder the config was read from ("" for the defaults):
	// Input and Out are relative to it.
	Dir string `json:"-"`
	// pos holds where each key and value of the file is, for the errors
	// found after the schema (Jobs, Position).
	pos positions
	// follows maps a target whose folder is another's to that target
	// (set by Jobs, read by Position).
	follows map[string]string
}

// DefaultConfig is the configuration used when there is no portspec.yaml:
// the embedded default document, written under "generated".
func DefaultConfig() *Config {
	return &Config{Version: 1}
}

// LoadConfig reads and validates a config file.
func LoadConfig(path string) (*Config, error) {
	data, err := regfile.Read(path, 0)
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
// input), absolute paths, URLs and version sources (deckhouse@v1.68.3)
// stay as they are.
func (c *Config) Path(p string) string {
	if p == "" || p == "-" || filepath.IsAbs(p) || strings.Contains(p, "://") || parser.IsVersionSource(p) {
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
		pos, msg := yamlError(name, err)
		errs.Add(pos, "%s", msg)
		return nil, errs.Err()
	}
	if len(root.Content) == 0 {
		errs.Add(token.Position{Filename: name, Line: 1, Column: 1}, "empty config: write at least \"version: 1\"")
		return nil, errs.Err()
	}
	pos := newPositions(name)
	inst := pos.value(root.Content[0], "", &errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	validateSchema(inst, pos, &errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	checkIdentKeys(inst, pos, &errs)
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

// yamlError places a yaml.v3 syntax error at the line it names (see
// internal/yamlerr, which the data file's reader uses too), column 1.
func yamlError(file string, err error) (token.Position, string) {
	line, msg := yamlerr.Split(err)
	return token.Position{Filename: file, Line: max(line, 1), Column: 1}, "invalid YAML: " + msg
}

// checkIdentKeys refuses idents keys whose ports the schema lets through
// but no rule could ever match: "02379" (a leading zero), "2379-2379",
// "65536", "7999-7000". A rule's key is written as spec.PortRange prints
// its ports; any other spelling would be silently never applied.
func checkIdentKeys(inst any, pos positions, errs *spec.Errors) {
	idents, _ := valueAt(inst, []string{"idents"}).(map[string]any)
	for key := range idents {
		i := strings.LastIndexByte(key, '/')
		if i < 0 {
			continue // the schema's error
		}
		ports := key[i+1:]
		r, err := spec.ParsePortRange(ports)
		switch {
		case err != nil:
			errs.Add(pos.key("idents", key), "idents key %q: %v (1-65535, first <= last)", key, err)
		case r.String() != ports:
			errs.Add(pos.key("idents", key), "idents key %q: write it as %q (ports without leading zeros, a single port once): as it is, the key matches no rule and would never be applied", key, key[:i+1]+r.String())
		}
	}
}
