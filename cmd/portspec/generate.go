package main

// The repository's own generated/ comes from here: `go generate ./...` at the
// root runs this line with the repository's portspec.yaml.
//go:generate go run . generate --config ../../portspec.yaml

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"go/scanner"
	goio "io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/gen/targets"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const generateUsage = `usage: portspec generate [--config FILE] [--input FILE|URL] [--out DIR] [--check]

Generates every output (the Go package in DIR/` + golang.DefaultDir + `, the other targets in
their own folders under DIR) from the document, or with --check reports
which generated files are missing, changed or orphaned, writing nothing.

Without --config, ` + config.ConfigFile + ` in the working folder is used when present;
with no config at all the embedded default document is generated into
"` + config.DefaultOut + `". --input and --out replace the config's input and out.

Exit status: 0 done (or, with --check, everything current); 1 outputs out of
date (--check) or the document or config is invalid; 2 usage or I/O error.

flags:
`

func runGenerate(ctx context.Context, args []string, io stdio) int {
	fl := flag.NewFlagSet("generate", flag.ContinueOnError)
	fl.SetOutput(io.err)
	fl.Usage = func() {
		fmt.Fprint(fl.Output(), generateUsage)
		fl.PrintDefaults()
	}
	configPath := fl.String("config", "", "config `file` (default: ./"+config.ConfigFile+" when present)")
	input := fl.String("input", "", "the document: a `file`, an https URL or - for standard input (replaces the config's input)")
	out := fl.String("out", "", "output root `dir` (replaces the config's out; default \""+config.DefaultOut+"\")")
	check := fl.Bool("check", false, "write nothing; exit 1 listing every missing, changed or orphaned file")
	if err := fl.Parse(args); err != nil {
		return helpOrUsage(fl, err, io)
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(io.err, "portspec generate: unexpected argument %q (the document is given with --input)\n", fl.Arg(0))
		return exitUsage
	}
	set := map[string]bool{}
	fl.Visit(func(f *flag.Flag) { set[f.Name] = true })

	cfg, code := loadConfig(*configPath, set["config"], io)
	if cfg == nil {
		return code
	}

	source := cfg.Path(cfg.Input)
	if set["input"] {
		source = *input
	}
	doc, err := loadDocument(ctx, source, parser.LoadOptions{}, io)
	if err != nil {
		return loadFailed("generate", err, io)
	}

	root := cfg.OutRoot()
	if set["out"] {
		root = *out
	}

	jobs, err := cfg.Jobs(targets.All())
	if err != nil {
		printErr(io.err, err)
		return exitInvalid
	}
	plan, err := driver.Run(doc, jobs, cfg.Idents)
	if err != nil {
		fmt.Fprintln(io.err, err)
		return exitInvalid
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(io.err, "warning: %s\n", w)
	}

	mode := driver.Write
	if *check {
		mode = driver.Check
	}
	rep, err := driver.Sync(root, plan, mode)
	if err != nil {
		fmt.Fprintln(io.err, err)
		return exitUsage
	}
	return report(io, root, rep, *check)
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
func loadConfig(path string, named bool, io stdio) (*config.Config, int) {
	cfg, err := findConfig(path, named)
	if err != nil {
		printErr(io.err, err)
		if _, ok := err.(spec.ErrorList); ok {
			return nil, exitInvalid
		}
		return nil, exitUsage
	}
	return cfg, exitOK
}

// printErr prints an error; a list of positioned errors one per line (its
// Error method would show only the first).
func printErr(w goio.Writer, err error) {
	if list, ok := err.(spec.ErrorList); ok {
		scanner.PrintError(w, list)
		return
	}
	fmt.Fprintln(w, err)
}

// report prints what Sync did or would do and returns the exit code.
func report(io stdio, root string, rep *driver.Report, check bool) int {
	show := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	if check {
		for _, c := range rep.OutOfDate {
			fmt.Fprintf(io.out, "%s: %s\n", show(c.Path), c.Status)
		}
		for _, c := range rep.OutOfDate {
			fmt.Fprintf(io.out, "\n%s", c.Diff)
		}
		if !rep.Current() {
			fmt.Fprintf(io.err, "portspec generate --check: %d file(s) out of date under %s: run portspec generate (go generate ./...) and commit\n", len(rep.OutOfDate), root)
			return exitInvalid
		}
		fmt.Fprintf(io.out, "%s: %d generated file(s) current\n", root, rep.Unchanged)
		return exitOK
	}
	written, removed := 0, 0
	for _, c := range rep.OutOfDate {
		switch c.Status {
		case driver.Missing, driver.Changed:
			written++
			fmt.Fprintf(io.out, "wrote %s\n", show(c.Path))
		case driver.Orphaned:
			removed++
			fmt.Fprintf(io.out, "removed %s (generated by portspec, but no target generates it any more)\n", show(c.Path))
		}
	}
	fmt.Fprintf(io.out, "%s: %d written, %d removed, %d unchanged\n", root, written, removed, rep.Unchanged)
	return exitOK
}
