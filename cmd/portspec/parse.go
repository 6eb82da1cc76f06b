package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/portspec/portspec/spec"
)

const parseUsage = `usage: portspec parse [flags] [DOCUMENT]

Reads a document (the network interaction page as markdown, or the
deckhouse-ports.yml data file) and prints its model. With no DOCUMENT it
reads the embedded default document; "-" reads standard input; an https://
URL is downloaded. An invalid document's errors go to stderr, one per line
(exit 1); warnings go to stderr in every case. Exit codes: portspec --help.

flags:
`

func runParse(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(std.err)
	format := fs.String("format", "json", "output format: json or table")
	var df docFlags
	df.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), parseUsage)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, std)
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(std.err, "portspec parse: unknown format %q: use json or table\n", *format)
		return exitUsage
	}
	in, err := df.document(fs, pos, "")
	if err != nil {
		fmt.Fprintf(std.err, "portspec parse: %v\n", err)
		return exitUsage
	}
	doc, err := loadDocument(ctx, in.source, in.opts, std)
	if err != nil {
		return loadFailed("parse", err, std)
	}
	if *format == "table" {
		err = writeTable(std.out, doc)
	} else {
		err = writeJSON(std.out, doc)
	}
	if err != nil {
		fmt.Fprintf(std.err, "portspec parse: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// writeJSON prints the model's JSON form (the bytes of MarshalJSON) and a
// newline. WriteJSON streams it: a 100,000-row model never has a second,
// JSON-shaped copy in memory.
func writeJSON(w io.Writer, doc *spec.Document) error {
	if err := doc.WriteJSON(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// writeTable prints each group's heading, then its rules as aligned
// port/protocol/purpose rows.
func writeTable(w io.Writer, doc *spec.Document) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for i, g := range doc.Groups {
		if i > 0 {
			fmt.Fprintln(tw)
		}
		roles := fmt.Sprintf("%s → %s, %s", g.From, g.To, g.Direction)
		fmt.Fprintf(tw, "%s (%s; %s)\n", spec.Escape(g.Title(doc.Languages...)), spec.Escape(g.ID), roles)
		fmt.Fprintln(tw, "PORT\tPROTOCOL\tPURPOSE")
		for _, r := range g.Rules {
			ports := spec.FormatPorts(r.Ports)
			if ports == "" {
				ports = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", ports, r.Protocol, spec.Escape(strings.TrimSpace(r.Purpose(doc.Languages...))))
		}
	}
	return tw.Flush()
}
