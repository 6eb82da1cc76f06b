package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/portspec/portspec/compare"
)

const changesUsage = `usage: portspec changes [--format text|markdown|json] [--allow-http] OLD NEW

Lists the firewall changes from one version of the document to another, per
role whose firewall they concern (the destination of ingress traffic, the
source of egress traffic): ports to open, ports to close, and moves (ports of
one purpose given a new number, listed as one move), plus purposes reworded.
OLD and NEW are any inputs portspec reads, mixed: the data YAML, the rendered
page, the seed capture; a file, "-" (standard input), an https URL, or ""
(the embedded default document).

Exit status: 0 when the documents were compared, whatever changed;
2 when an input cannot be read or parsed, or on a usage error.

flags:
`

func runChanges(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("changes", flag.ContinueOnError)
	fs.SetOutput(io.err)
	format := fs.String("format", "text", "report format: text, markdown or json")
	var lf loadFlags
	lf.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), changesUsage)
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, io)
	}
	if !checkFormat("changes", *format, io) {
		return exitUsage
	}
	if len(pos) != 2 {
		fmt.Fprintf(io.err, "portspec changes: want two documents, OLD and NEW; got %d\n\n", len(pos))
		fs.Usage()
		return exitUsage
	}
	if pos[0] == "-" && pos[1] == "-" {
		fmt.Fprintln(io.err, "portspec changes: only one of OLD and NEW can be standard input")
		return exitUsage
	}
	old, ok := lf.load(ctx, "changes", pos[0], io)
	if !ok {
		return exitUsage
	}
	new, ok := lf.load(ctx, "changes", pos[1], io)
	if !ok {
		return exitUsage
	}
	if err := writeReport(io.out, compare.Documents(old, new), *format, compare.ByRole); err != nil {
		fmt.Fprintf(io.err, "portspec changes: %v\n", err)
		return exitUsage
	}
	return exitOK
}
