// Package driver runs the targets and is the only code of portspec that
// writes generated files: Run generates every enabled job's files in memory
// (a Plan), and Sync makes the output folder match the plan or, in Check
// mode, reports how it differs, with a short unified diff per file. It is
// the one code behind `portspec generate`, `generate --check` and the
// tests, so that they cannot disagree.
package driver

import (
	"cmp"
	"go/token"
	"path"
	"runtime"
	"slices"
	"sync"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/internal/outpath"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// Plan is everything the targets generated, in memory: file path (slash
// separated, relative to the output root) → contents, and the folders the
// targets own (where orphaned generated files are looked for).
type Plan struct {
	Files map[string][]byte
	Dirs  []string
	// Owners names the targets of each folder of Dirs, for messages (nil
	// in a plan made by hand).
	Owners map[string][]string
	// Warnings are the targets' warnings, each prefixed with the target name.
	Warnings []string
}

// Inputs are what the config gives every target besides its own options.
type Inputs struct {
	Idents  map[string]string
	Clients *clients.Table // nil: the built-in table
	// Position places a target's gen.OptionError in portspec.yaml
	// (config.Config.Position); nil leaves those errors without one.
	Position func(path []string) token.Position
	// Overlay is the site's changes on top of the document (nil: none).
	Overlay *overlay.Overlay
	// Workers is how many targets may run at once; 0 chooses: every
	// processor for a small document, one at a time for a large one (see
	// Small).
	Workers int
}

// Run generates every enabled job's files in memory; disabled jobs are
// skipped. The overlay is applied first: every target gets the document
// with it (and the upstream document beside it), which none may modify; an
// overlay entry that matches nothing in doc is an error (a spec.ErrorList,
// each at its entry in the config). Target errors are collected, as a
// spec.ErrorList: an error of the document at its position in it, an error
// of the target's options (gen.OptionError) at its place in portspec.yaml
// (Inputs.Position), any other without a position; two targets writing the
// same path is an error.
func Run(doc *spec.Document, jobs []config.Job, in Inputs) (*Plan, error) {
	site := doc
	if !in.Overlay.Empty() {
		var err error
		if site, err = in.Overlay.Apply(doc); err != nil {
			return nil, err
		}
	}
	results := generateAll(jobs, func(j config.Job) (*gen.Output, error) {
		return j.Gen.Generate(gen.Request{Doc: site, Upstream: doc, Overlay: in.Overlay, Options: j.Options, Dir: j.Dir, Idents: in.Idents, Clients: in.Clients})
	}, cmp.Or(in.Workers, workers(site)))
	p := &Plan{Files: map[string][]byte{}, Owners: map[string][]string{}}
	owner := map[string]string{}
	var errs spec.Errors
	for i, j := range jobs {
		if !j.Enabled {
			continue
		}
		out, err := results[i].out, results[i].err
		if err != nil {
			targetErrors(j.Gen.Name(), err, in.Position, &errs)
			continue
		}
		p.Dirs = append(p.Dirs, j.Dir)
		p.Owners[j.Dir] = append(p.Owners[j.Dir], j.Gen.Name())
		for _, w := range out.Warnings {
			p.Warnings = append(p.Warnings, j.Gen.Name()+": "+w)
		}
		for _, f := range out.Files {
			name := path.Join(j.Dir, f.Path)
			if err := outpath.Check(f.Path); err != nil {
				errs.Add(token.Position{}, "target %s: %v", j.Gen.Name(), err)
				continue
			}
			if prev, ok := owner[name]; ok {
				errs.Add(token.Position{}, "targets %s and %s both generate %s: give one of them another dir", prev, j.Gen.Name(), name)
				continue
			}
			if !gen.IsGenerated(f.Data) {
				errs.Add(token.Position{}, "target %s: %s does not start with the portspec header (gen.Header)", j.Gen.Name(), name)
				continue
			}
			owner[name] = j.Gen.Name()
			p.Files[name] = f.Data // the target's own: it keeps no reference (no copy of a large document's outputs)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	slices.Sort(p.Dirs)
	p.Dirs = slices.Compact(p.Dirs)
	return p, nil
}

// smallWork is the size of a small document, in rules and port ranges
// (one cell may list thousands of ports): what pre-commit hooks and go
// generate check on every commit, where the time to wait matters. The
// targets of a small document run at the same time; above it they run one
// at a time, so that the peak memory is that of the largest target, not of
// several at once. The command also tunes its garbage collector by it
// (cmd/portspec/gc.go; docs/performance.md).
const smallWork = 5000

// Small reports whether doc is a small document (smallWork).
func Small(doc *spec.Document) bool {
	n := 0
	for _, g := range doc.Groups {
		for _, r := range g.Rules {
			if n += 1 + len(r.Ports); n > smallWork {
				return false
			}
		}
	}
	return true
}

// workers is how many targets run at once for doc.
func workers(doc *spec.Document) int {
	if !Small(doc) {
		return 1
	}
	return runtime.GOMAXPROCS(0)
}

type result struct {
	out *gen.Output
	err error
}

// generateAll runs generate for every enabled job, at most n at a time,
// and returns the results in the jobs' order (disabled jobs: zero). Every
// target gets the same read-only document (gen/targets checks that none
// modifies it, and go test -race runs them at once), so the order they run
// in cannot change a byte.
func generateAll(jobs []config.Job, generate func(config.Job) (*gen.Output, error), n int) []result {
	results := make([]result, len(jobs))
	if n <= 1 {
		for i, j := range jobs {
			if j.Enabled {
				results[i].out, results[i].err = generate(j)
			}
		}
		return results
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, n)
	for i, j := range jobs {
		if !j.Enabled {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i].out, results[i].err = generate(j)
		})
	}
	wg.Wait()
	return results
}

// targetErrors adds the errors of one target: each of a list (a joined
// error, a spec.ErrorList) on its own, at its position.
func targetErrors(target string, err error, position func([]string) token.Position, errs *spec.Errors) {
	switch e := err.(type) {
	case spec.ErrorList:
		for _, d := range e {
			errs.Add(d.Pos, "%s: %s", target, d.Msg)
		}
	case *gen.OptionError:
		var at token.Position
		if position != nil {
			at = position(e.Path)
		}
		errs.Add(at, "%v", e)
	case interface{ Unwrap() []error }:
		for _, each := range e.Unwrap() {
			targetErrors(target, each, position, errs)
		}
	default:
		errs.Add(token.Position{}, "target %s: %v", target, err)
	}
}
