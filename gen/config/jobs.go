package config

import (
	"encoding/json"
	"go/token"
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/outpath"
	"github.com/portspec/portspec/spec"
)

// Target is a target the config can name: its generator and where its
// folder comes from when the config names none.
type Target struct {
	Gen gen.Generator
	// DirOf, when set, is the name of another target whose folder this one
	// writes into (configured or default) unless its own dir is configured.
	// gen/targets declares it for the drift test, a _test.go file that
	// belongs in the Go package's folder wherever that is.
	DirOf string
}

// Job is one target resolved against the config: the generator, its folder
// under the output root, its options without the config's own keys, and
// whether it runs.
type Job struct {
	Gen     gen.Generator
	Dir     string
	Options json.RawMessage
	// Enabled is false when the config turns the target off: it does not
	// run, but its folder and options are still resolved (drift reads the
	// drift test's folder and acknowledge file from them).
	Enabled bool
}

// targetOptions is the part of targets.<name> that the config handles.
type targetOptions struct {
	Dir     *string `json:"dir"`
	Enabled *bool   `json:"enabled"`
}

// Jobs resolves the config against the available targets, one job per
// target in their order: in which folder, with which options, and whether
// it runs. A target the config names but that does not exist is an error at
// its key's position.
func (c *Config) Jobs(all []Target) ([]Job, error) {
	var errs spec.Errors
	known := map[string]Target{}
	for _, t := range all {
		known[t.Gen.Name()] = t
	}
	for _, name := range slices.Sorted(maps.Keys(c.Targets)) {
		if _, ok := known[name]; !ok {
			errs.Add(c.pos.key("targets", name), "unknown target %q (known: %v)", name, targetNames(all))
		}
	}
	jobs := make([]Job, 0, len(all))
	configured := map[string]string{} // target name → its configured dir
	for _, t := range all {
		name := t.Gen.Name()
		j := Job{Gen: t.Gen, Enabled: true}
		raw := c.Targets[name]
		if len(raw) > 0 && string(raw) != "null" {
			var o targetOptions
			if err := json.Unmarshal(raw, &o); err != nil {
				errs.Add(c.pos.key("targets", name), "targets.%s: %v", name, err)
				continue
			}
			if o.Enabled != nil {
				j.Enabled = *o.Enabled
			}
			if o.Dir != nil {
				if err := outpath.Check(*o.Dir); err != nil {
					errs.Add(c.pos.key("targets", name, "dir"), "targets.%s.dir: %v", name, err)
				}
				configured[name] = *o.Dir
			}
			j.Options = stripKeys(raw, "dir", "enabled")
		}
		jobs = append(jobs, j)
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	c.follows = map[string]string{}
	for i, t := range all {
		jobs[i].Dir = path.Clean(folder(t, configured, known))
		if _, own := configured[t.Gen.Name()]; !own && t.DirOf != "" {
			c.follows[t.Gen.Name()] = t.DirOf
		}
	}
	c.checkNesting(jobs, all, configured, &errs)
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	return jobs, nil
}

// checkNesting refuses two enabled targets whose folders nest ("a" and
// "a/b", or "." and anything): each would take the other's files for its
// own orphans. One folder for two targets (the drift test in the Go
// package's) is one folder, not a nesting. The driver checks the same
// again on disk, where symbolic links can make two names one folder.
func (c *Config) checkNesting(jobs []Job, all []Target, configured map[string]string, errs *spec.Errors) {
	reported := map[[2]string]bool{}
	for i, a := range jobs {
		for _, b := range jobs[i+1:] {
			if !a.Enabled || !b.Enabled || a.Dir == b.Dir {
				continue
			}
			outer, inner := a, b
			if !nested(inner.Dir, outer.Dir) {
				outer, inner = b, a
			}
			if !nested(inner.Dir, outer.Dir) || reported[[2]string{inner.Dir, outer.Dir}] {
				continue
			}
			reported[[2]string{inner.Dir, outer.Dir}] = true
			errs.Add(c.dirKey(all, configured, inner.Gen.Name(), outer.Gen.Name()), "the folder of target %s (%q) is inside that of target %s (%q): each would take the other's files for orphans; give them folders side by side", inner.Gen.Name(), inner.Dir, outer.Gen.Name(), outer.Dir)
		}
	}
}

// dirKey is the position of the dir that decides the folder of the first
// target that has one configured, itself or through the target it follows
// (Target.DirOf).
func (c *Config) dirKey(all []Target, configured map[string]string, names ...string) token.Position {
	for _, name := range names {
		if _, ok := configured[name]; ok {
			return c.pos.key("targets", name, "dir")
		}
		for _, t := range all {
			if _, ok := configured[t.DirOf]; ok && t.Gen.Name() == name {
				return c.pos.key("targets", t.DirOf, "dir")
			}
		}
	}
	return c.pos.key("targets")
}

// nested reports whether folder inner is strictly inside outer.
func nested(inner, outer string) bool {
	return inner != outer && (outer == "." || strings.HasPrefix(inner, outer+"/"))
}

// folder decides a target's folder: its own configured dir, else the folder
// of the target it shares one with (configured, else that target's
// default), else its own default.
func folder(t Target, configured map[string]string, known map[string]Target) string {
	if dir, ok := configured[t.Gen.Name()]; ok {
		return dir
	}
	if lead, ok := known[t.DirOf]; ok {
		if dir, ok := configured[t.DirOf]; ok {
			return dir
		}
		return lead.Gen.DefaultDir()
	}
	return t.Gen.DefaultDir()
}

func targetNames(all []Target) []string {
	var names []string
	for _, t := range all {
		names = append(names, t.Gen.Name())
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

// Position is where the value at path is in the config file: path is from
// the root ("targets", "cilium", "nodeCIDRs", "0"; "idents", a key), as a
// gen.OptionError names it. A value the file does not hold is placed at the
// nearest enclosing one that it does (the object it would go in); the dir
// of a target that follows another's folder (Target.DirOf, once Jobs ran)
// at that target's dir.
func (c *Config) Position(path []string) token.Position {
	if len(path) == 3 && path[0] == "targets" && path[2] == "dir" {
		if lead, ok := c.follows[path[1]]; ok {
			path = []string{"targets", lead, "dir"}
		}
	}
	return c.pos.at(path)
}
