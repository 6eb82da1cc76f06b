package main

// The repository's own generated/ comes from here: `go generate ./...` at the
// root runs this line with the repository's portspec.yaml.
//go:generate go run . generate --config ../../portspec.yaml

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/gen/targets"
	"github.com/portspec/portspec/internal/regfile"
	"github.com/portspec/portspec/spec"
)

const generateUsage = `usage: portspec generate [flags] [DOCUMENT]

Generates every output (the Go package in DIR/` + golang.DefaultDir + `, the other targets in
their own folders under DIR) from the document, or with --check reports
which generated files are missing, changed or orphaned, writing nothing
(exit 1 when any is).

Without --config, ` + config.ConfigFile + ` in the working folder is used when present;
with no config at all the embedded default document is generated into
"` + config.DefaultOut + `". DOCUMENT (or --input, its older name) replaces the config's
input, --out its out. A document that removes more than half of the rules
of the current outputs (their drift-test snapshot) is refused, exit 1,
unless --allow-shrink. Exit codes: portspec --help.

flags:
`

func runGenerate(ctx context.Context, args []string, std stdio) int {
	fl := flag.NewFlagSet("generate", flag.ContinueOnError)
	fl.SetOutput(std.err)
	fl.Usage = func() {
		fmt.Fprint(fl.Output(), generateUsage)
		fl.PrintDefaults()
	}
	configPath := fl.String("config", "", "config `file` (default: ./"+config.ConfigFile+" when present)")
	fl.String("input", "", "the document, as the positional DOCUMENT (kept for older scripts)")
	out := fl.String("out", "", "output root `dir` (replaces the config's out; default \""+config.DefaultOut+"\")")
	check := fl.Bool("check", false, "write nothing; exit 1 listing every missing, changed or orphaned file")
	allowShrink := fl.Bool("allow-shrink", false, "write even when the document removes more than half of the rules of the current outputs (their drift-test snapshot)")
	var df docFlags
	df.register(fl)
	pos, err := parseArgs(fl, args)
	if err != nil {
		return helpOrUsage(fl, err, std)
	}
	input, err := df.document(fl, pos, "input")
	if err != nil {
		fmt.Fprintf(std.err, "portspec generate: %v\n", err)
		return exitUsage
	}
	set := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { set[f.Name] = true })

	cfg, code := loadConfig(*configPath, set["config"], std)
	if cfg == nil {
		return code
	}

	source := cfg.Path(cfg.Input)
	if input.given {
		source = input.source
	}
	df.useConfig(cfg)
	input.opts.Sources = df.sources()
	doc, err := loadDocument(ctx, source, input.opts, std)
	if err != nil {
		return loadFailed("generate", err, std)
	}

	root := cfg.OutRoot()
	if set["out"] {
		root = *out
	}

	jobs, err := cfg.Jobs(targets.All())
	if err != nil {
		printErr(std.err, err)
		return exitInvalid
	}
	table, err := cfg.ClientTable()
	if err != nil {
		printErr(std.err, err)
		return exitInvalid
	}
	ov, err := cfg.SiteOverlay()
	if err != nil {
		printErr(std.err, err)
		return exitInvalid
	}
	plan, err := driver.Run(doc, jobs, driver.Inputs{Idents: cfg.Idents, Clients: table, Overlay: ov, Position: cfg.Position})
	if err != nil {
		printErr(std.err, err)
		return exitInvalid
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(std.err, "warning: %s\n", spec.Escape(w))
	}

	mode := driver.Write
	if *check {
		mode = driver.Check
	}
	if mode == driver.Write && !*allowShrink {
		if err := checkShrink(doc, snapshotFile(jobs, root)); err != nil {
			fmt.Fprintf(std.err, "portspec generate: %s\n", spec.Escape(err.Error()))
			return exitInvalid
		}
	}
	rep, err := driver.Sync(root, plan, mode)
	if err != nil {
		printErr(std.err, err)
		return exitUsage
	}
	return printSync(std, root, rep, *check)
}

// checkShrink refuses a document that removes more than half of the rules
// of the current outputs, as their snapshot (the drift test) records them:
// an emptied or wrong document would otherwise replace every firewall with
// one that closes the ports the cluster lives on, and delete the other
// outputs as orphans. No snapshot (nothing generated yet, or no drift
// test) is no check; one that cannot be read is a refusal too.
func checkShrink(doc *spec.Document, snapshot string) error {
	if snapshot == "" {
		return nil
	}
	data, err := regfile.Read(snapshot, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot compare the document with the current outputs: %v; pass --allow-shrink to generate anyway", err)
	}
	old, err := drifttest.ReadSnapshot(snapshot, data)
	if err != nil {
		return fmt.Errorf("cannot compare the document with the current outputs: %v; pass --allow-shrink to generate anyway", err)
	}
	if s := compare.Rules(old, doc); s.Most() {
		return fmt.Errorf("%s removes %s of the current outputs (%s, generated from %s): refusing to write firewalls that may lock the cluster out; check the document, or pass --allow-shrink if the rules really are gone",
			sourceName(doc.Source), s, snapshot, old.Source)
	}
	return nil
}

// findConfig returns the config to use: the named file (--config), else
// portspec.yaml in the working folder when it exists, else the defaults.
func findConfig(path string, named bool) (*config.Config, error) {
	if !named {
		if _, err := os.Stat(config.ConfigFile); errors.Is(err, fs.ErrNotExist) {
			return config.DefaultConfig(), nil
		}
		path = config.ConfigFile
	}
	return config.LoadConfig(path)
}

// loadConfig is findConfig for generate: on failure it prints why and
// returns nil and the exit code.
func loadConfig(path string, named bool, std stdio) (*config.Config, int) {
	cfg, err := findConfig(path, named)
	if err != nil {
		printErr(std.err, err)
		if _, ok := err.(spec.ErrorList); ok {
			return nil, exitInvalid
		}
		return nil, exitUsage
	}
	return cfg, exitOK
}

// printErr prints an error: a list of positioned errors one per line (its
// Error method would show only the first), any other error a line per line
// of its text; each line escaped (spec.Escape), so that the document's or
// the config's text cannot forge a line or reach the terminal raw.
func printErr(w io.Writer, err error) {
	if list, ok := err.(spec.ErrorList); ok {
		for _, e := range list {
			fmt.Fprintln(w, spec.Escape(e.Error()))
		}
		return
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintln(w, spec.Escape(line))
	}
}

// printSync prints what Sync did or would do and returns the exit code.
func printSync(std stdio, root string, rep *driver.Report, check bool) int {
	show := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	if check {
		for _, c := range rep.OutOfDate {
			fmt.Fprintf(std.out, "%s: %s\n", show(c.Path), c.Status)
		}
		for _, c := range rep.OutOfDate {
			fmt.Fprintf(std.out, "\n%s", c.Diff)
		}
		if !rep.Current() {
			fmt.Fprintf(std.err, "portspec generate --check: %d file(s) out of date under %s: run portspec generate (go generate ./...) and commit\n", len(rep.OutOfDate), root)
			return exitInvalid
		}
		fmt.Fprintf(std.out, "%s: %d generated file(s) current\n", root, rep.Unchanged)
		return exitOK
	}
	written, removed := 0, 0
	for _, c := range rep.OutOfDate {
		switch c.Status {
		case driver.Missing, driver.Changed:
			written++
			fmt.Fprintf(std.out, "wrote %s\n", show(c.Path))
		case driver.Orphaned:
			removed++
			fmt.Fprintf(std.out, "removed %s (generated by portspec, but no target generates it any more)\n", show(c.Path))
		}
	}
	fmt.Fprintf(std.out, "%s: %d written, %d removed, %d unchanged\n", root, written, removed, rep.Unchanged)
	return exitOK
}
