package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/config"
)

const changesUsage = `usage: portspec changes [flags] OLD NEW

Lists the firewall changes from one version of the document to another, per
role whose firewall they concern (the destination of ingress traffic, the
source of egress traffic): ports to open, ports to close, and moves (ports of
one purpose given a new number, listed as one move), plus purposes reworded.
OLD and NEW are any inputs portspec reads, mixed: the data YAML, the rendered
page, its HTML, a text copy; a file, "-" (standard input), an https URL, a
version (deckhouse@v1.68.0, deckhouse-site@v1.68#ru), or "" (the embedded
default document). The upgrade question in one line:

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
	format := fs.String("format", "text", "report format: text, markdown or json")
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
	if !checkFormat("changes", *format, std) {
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
	old, code := loadCompared(ctx, "changes", pos[0], &df, std)
	if old == nil {
		return code
	}
	new, code := loadCompared(ctx, "changes", pos[1], &df, std)
	if new == nil {
		return code
	}
	rep := compare.Documents(old, new)
	rep.Overlay = staleOverlay(ov, new)
	if err := writeReport(std.out, rep, *format, compare.ByRole); err != nil {
		fmt.Fprintf(std.err, "portspec changes: %v\n", err)
		return exitUsage
	}
	return exitOK
}
