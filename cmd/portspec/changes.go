package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/report"
	"github.com/portspec/portspec/gen/report/changes"
	"github.com/portspec/portspec/internal/regfile"
	"github.com/portspec/portspec/spec"
)

const changesUsage = `usage: portspec changes [flags] OLD NEW

Lists the firewall changes from one version of the document to another, per
role whose firewall they concern (the destination of ingress traffic, the
source of egress traffic): ports to open, ports to close, and moves (ports of
one purpose given a new number, listed as one move), plus purposes reworded.
--format html writes the same as a page (self-contained, no script, no
request; --lang en, ru or both for a switch), csv as a table with both
purposes (RFC 4180); --out FILE writes to a file instead of standard output.
OLD and NEW are any inputs portspec reads, mixed: the data YAML, the rendered
page, its HTML, a text copy; a file, "-" (standard input), an https URL, a
version (deckhouse@v1.68.0, deckhouse-site@v1.68#ru), or "" (the embedded
default document). A local file whose name ends in .go is read as a
drift_test.go snapshot (the model a generated/ was made from), so that
"portspec changes OLD/drift_test.go generated/ports/drift_test.go" lists what
a regeneration changed. The upgrade question in one line:

  portspec changes deckhouse@v1.67.0 deckhouse@v1.68.0

A document that looks cut short is reported at the top. With a config
(./portspec.yaml, or --config) the entries of its overlay that no longer
match NEW are reported at the top too.

Exit 0 when the documents were compared, whatever changed (the list is the
answer); 1 when one is not a valid document; 2 when one cannot be read.
Exit codes: portspec --help.

flags:
`

func runChanges(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("changes", flag.ContinueOnError)
	fs.SetOutput(std.err)
	format := fs.String("format", "text", "report format: "+strings.Join(changesFormats(), ", "))
	lang := fs.String("lang", string(report.Both), "language of the html page: en, ru or both")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	configPath := fs.String("config", "", "portspec.yaml whose overlay and version sources to use (default: ./"+config.ConfigFile+" when present)")
	var df docFlags
	df.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), changesUsage)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, std)
	}
	if !slices.Contains(changesFormats(), *format) {
		fmt.Fprintf(std.err, "portspec changes: unknown format %q: use %s\n", *format, strings.Join(changesFormats(), ", "))
		return exitUsage
	}
	langSet := false
	fs.Visit(func(f *flag.Flag) { langSet = langSet || f.Name == "lang" })
	if _, err := report.ParseLang(*lang); err != nil {
		fmt.Fprintf(std.err, "portspec changes: %v\n", err)
		return exitUsage
	}
	if langSet && *format != "html" && *format != "csv" {
		fmt.Fprintf(std.err, "portspec changes: --lang is for --format html (and csv, which holds both); the %s report is in English\n", *format)
		return exitUsage
	}
	if len(pos) != 2 {
		fmt.Fprintf(std.err, "portspec changes: want two documents, OLD and NEW; got %d\n\n", len(pos))
		fs.Usage()
		return exitUsage
	}
	if pos[0] == "-" && pos[1] == "-" {
		fmt.Fprintln(std.err, "portspec changes: only one of OLD and NEW can be standard input")
		return exitUsage
	}
	cfg, err := findConfig(*configPath, *configPath != "")
	if err != nil {
		printErr(std.err, err)
		return exitUsage
	}
	ov, ok := df.siteOf(cfg, std)
	if !ok {
		return exitUsage
	}
	old, code := loadSide(ctx, pos[0], &df, std)
	if old == nil {
		return code
	}
	new, code := loadSide(ctx, pos[1], &df, std)
	if new == nil {
		return code
	}
	r := compare.Documents(old, new)
	r.Overlay = staleOverlay(ov, new)
	switch *format {
	case "html":
		return writeOutput("changes", *out, changes.HTML(r, old, new, report.Lang(*lang)), std)
	case "csv":
		return writeOutput("changes", *out, changes.CSV(r, old, new), std)
	}
	var b bytes.Buffer
	if err := writeReport(&b, r, *format, compare.ByRole); err != nil {
		fmt.Fprintf(std.err, "portspec changes: %v\n", err)
		return exitUsage
	}
	return writeOutput("changes", *out, b.Bytes(), std)
}

// changesFormats are the values of changes --format: drift's, and the
// report family's page and table.
func changesFormats() []string { return append(slices.Clone(reportFormats), "html", "csv") }

// loadSide reads one side of a comparison: a drift_test.go snapshot when
// source is a local file named *.go (the model behind a generated/, which
// is what the pull-request mode of the GitHub Action compares before and
// after regenerating), else a document. A snapshot that cannot be read is
// exitUsage, like any unreadable input.
func loadSide(ctx context.Context, source string, df *docFlags, std stdio) (*spec.Document, int) {
	if !strings.HasSuffix(source, ".go") || strings.Contains(source, "://") {
		return loadCompared(ctx, "changes", source, df, std)
	}
	src, err := regfile.Read(source, 0) // as drift and generate read snapshots: no pipes, no devices
	if err != nil {
		fmt.Fprintf(std.err, "portspec changes: cannot read %s: %v\n", source, err)
		return nil, exitUsage
	}
	doc, err := drifttest.ReadSnapshot(source, src)
	if err != nil {
		fmt.Fprintf(std.err, "portspec changes: cannot read the snapshot %v\n", err)
		return nil, exitUsage
	}
	return doc, exitOK
}
