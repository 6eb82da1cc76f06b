package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const parseUsage = `usage: portspec parse [--format json|table] [--kind auto|markdown|data] [--allow-http] [FILE|-|URL]

Reads a document (the network interaction page as markdown, or the
deckhouse-ports.yml data file) and prints its model. With no FILE it reads
the embedded default document; "-" reads standard input; an https:// URL is
downloaded.

Exit status: 0 ok, 1 invalid input (errors on stderr, one per line),
2 usage or I/O error. Warnings go to stderr in every case.

flags:
`

func runParse(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.err)
	format := fs.String("format", "json", "output format: json or table")
	kind := fs.String("kind", "auto", "input kind: auto, markdown or data")
	allowHTTP := fs.Bool("allow-http", false, "allow plain http:// URLs")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), parseUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return helpOrUsage(fs, err, io)
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(io.err, "portspec parse: unknown format %q: use json or table\n", *format)
		return exitUsage
	}
	k, err := parser.ParseKind(*kind)
	if err != nil {
		fmt.Fprintf(io.err, "portspec parse: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 1 {
		fmt.Fprintf(io.err, "portspec parse: one input at most, got %d\n", fs.NArg())
		fs.Usage()
		return exitUsage
	}
	doc, err := loadDocument(ctx, fs.Arg(0), parser.LoadOptions{Options: parser.Options{Kind: k}, AllowHTTP: *allowHTTP}, io)
	if err != nil {
		return loadFailed("parse", err, io)
	}
	if *format == "table" {
		err = writeTable(io.out, doc)
	} else {
		err = writeJSON(io.out, doc)
	}
	if err != nil {
		fmt.Fprintf(io.err, "portspec parse: %v\n", err)
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
		fmt.Fprintf(tw, "%s (%s; %s)\n", g.Title(doc.Languages...), g.ID, roles)
		fmt.Fprintln(tw, "PORT\tPROTOCOL\tPURPOSE")
		for _, r := range g.Rules {
			ports := spec.FormatPorts(r.Ports)
			if ports == "" {
				ports = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", ports, r.Protocol, strings.TrimSpace(r.Purpose(doc.Languages...)))
		}
	}
	return tw.Flush()
}
