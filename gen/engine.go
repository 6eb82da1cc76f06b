package gen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/spec"
)

// followsDir names the targets whose folder defaults to another target's:
// the drift test is a _test.go file of the Go package, so it must sit in the
// Go target's folder wherever that is configured.
func followsDir(target string) string {
	if target == "drifttest" {
		return "go"
	}
	return ""
}

// Job is one target to run: the generator, its folder under the output root
// and its options without the engine's own keys.
type Job struct {
	Gen     Generator
	Dir     string
	Options json.RawMessage
}

// targetOptions is the part of targets.<name> that the engine handles.
type targetOptions struct {
	Dir     *string `json:"dir"`
	Enabled *bool   `json:"enabled"`
}

// Jobs resolves the config against the available targets: which run, in
// which folder, with which options. A target the config names but that does
// not exist is an error at its key's position.
func (c *Config) Jobs(all []Generator) ([]Job, error) {
	var errs spec.Errors
	known := map[string]Generator{}
	for _, g := range all {
		known[g.Name()] = g
	}
	for _, name := range slices.Sorted(maps.Keys(c.Targets)) {
		if _, ok := known[name]; !ok {
			errs.Add(c.posOf("/targets/"+escapePtr(name)), "unknown target %q (known: %v)", name, targetNames(all))
		}
	}
	type resolved struct {
		dir     string
		enabled bool
		opts    json.RawMessage
	}
	res := map[string]*resolved{}
	for _, g := range all {
		r := &resolved{enabled: true} // dir "" = not configured
		raw := c.Targets[g.Name()]
		if len(raw) > 0 && string(raw) != "null" {
			var o targetOptions
			if err := json.Unmarshal(raw, &o); err != nil {
				errs.Add(c.posOf("/targets/"+g.Name()), "targets.%s: %v", g.Name(), err)
				continue
			}
			if o.Enabled != nil {
				r.enabled = *o.Enabled
			}
			if o.Dir != nil {
				r.dir = *o.Dir
				if err := checkRel(r.dir); err != nil {
					errs.Add(c.posOf("/targets/"+g.Name()+"/dir"), "targets.%s.dir: %v", g.Name(), err)
				}
			}
			r.opts = stripKeys(raw, "dir", "enabled")
		}
		res[g.Name()] = r
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	var jobs []Job
	for _, g := range all {
		r := res[g.Name()]
		if r.dir == "" {
			r.dir = g.DefaultDir()
			if lead, ok := res[followsDir(g.Name())]; ok && lead.dir != "" {
				r.dir = lead.dir
			} else if lead, ok := known[followsDir(g.Name())]; ok {
				r.dir = lead.DefaultDir()
			}
		}
		if r.enabled {
			jobs = append(jobs, Job{Gen: g, Dir: path.Clean(r.dir), Options: r.opts})
		}
	}
	return jobs, nil
}

func targetNames(all []Generator) []string {
	var names []string
	for _, g := range all {
		names = append(names, g.Name())
	}
	sort.Strings(names)
	return names
}

// stripKeys removes keys from a JSON object, returning nil when nothing is
// left, so that targets with strict option decoding never see them.
func stripKeys(raw json.RawMessage, keys ...string) json.RawMessage {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return raw
	}
	for _, k := range keys {
		delete(m, k)
	}
	if len(m) == 0 {
		return nil
	}
	out, err := json.Marshal(m) // map keys are sorted: deterministic
	if err != nil {
		return raw
	}
	return out
}

// Run generates every job's files in memory. Target errors are collected;
// two targets writing the same path is an error.
func Run(doc *spec.Document, jobs []Job, idents map[string]string) (*Plan, error) {
	p := &Plan{Files: map[string][]byte{}}
	owner := map[string]string{}
	var errs []string
	for _, j := range jobs {
		out, err := j.Gen.Generate(Request{Doc: doc, Options: j.Options, Dir: j.Dir, Idents: idents})
		if err != nil {
			errs = append(errs, fmt.Sprintf("target %s: %v", j.Gen.Name(), err))
			continue
		}
		p.Dirs = append(p.Dirs, j.Dir)
		for _, w := range out.Warnings {
			p.Warnings = append(p.Warnings, j.Gen.Name()+": "+w)
		}
		for _, f := range out.Files {
			name := path.Join(j.Dir, f.Path)
			if err := checkRel(f.Path); err != nil {
				errs = append(errs, fmt.Sprintf("target %s: %v", j.Gen.Name(), err))
				continue
			}
			if prev, ok := owner[name]; ok {
				errs = append(errs, fmt.Sprintf("targets %s and %s both generate %s: give one of them another dir", prev, j.Gen.Name(), name))
				continue
			}
			if !IsGenerated(f.Data) {
				errs = append(errs, fmt.Sprintf("target %s: %s does not start with the portspec header (gen.Header)", j.Gen.Name(), name))
				continue
			}
			owner[name] = j.Gen.Name()
			p.Files[name] = bytes.Clone(f.Data)
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	slices.Sort(p.Dirs)
	p.Dirs = slices.Compact(p.Dirs)
	return p, nil
}
