package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const parseUsage = `usage: portspec parse [flags] [DOCUMENT]

Reads a document (the network interaction page as markdown, as the site's
HTML or as a text copy, or the deckhouse-ports.yml data file) and prints its
model. With no DOCUMENT it reads the embedded default document; "-" reads
standard input; an https:// URL or a version (deckhouse@v1.68.3,
deckhouse-site@v1.68#ru) is downloaded. With --overlay it prints the model
after the config's overlay (./portspec.yaml, or --config), each row the
site changed marked. An invalid document's errors, and overlay entries that
match nothing, go to stderr, one per line (exit 1); warnings go to stderr in
every case. Exit codes: portspec --help.

flags:
`

func runParse(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(std.err)
	format := fs.String("format", "json", "output format: json or table")
	withOverlay := fs.Bool("overlay", false, "apply the config's overlay (the site's own rows) and print the model after it")
	configPath := fs.String("config", "", "portspec.yaml for --overlay and the version sources (default: ./"+config.ConfigFile+" when present)")
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
	if *withOverlay && *configPath == "" {
		if _, err := os.Stat(config.ConfigFile); err != nil {
			fmt.Fprintf(std.err, "portspec parse: --overlay: no %s here to take the overlay from: name one with --config\n", config.ConfigFile)
			return exitUsage
		}
	}
	// The config matters to parse for its overlay and for the bases of a
	// version source; a plain file is read without it.
	cfg := config.DefaultConfig()
	if *withOverlay || *configPath != "" || parser.IsVersionSource(in.source) {
		if cfg, err = findConfig(*configPath, *configPath != ""); err != nil {
			printErr(std.err, err)
			if _, ok := err.(spec.ErrorList); ok {
				return exitInvalid
			}
			return exitUsage
		}
	}
	df.useConfig(cfg)
	in.opts.Sources = df.sources()
	doc, err := loadDocument(ctx, in.source, in.opts, std)
	if err != nil {
		return loadFailed("parse", err, std)
	}
	if *withOverlay {
		ov, err := cfg.SiteOverlay()
		if err != nil {
			printErr(std.err, err)
			return exitInvalid
		}
		if doc, err = ov.Apply(doc); err != nil {
			printErr(std.err, err)
			return exitInvalid
		}
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
			fmt.Fprintf(tw, "%s\t%s\t%s%s\n", ports, r.Protocol, spec.Escape(strings.TrimSpace(r.Purpose(doc.Languages...))), gen.SiteNote(&r))
		}
	}
	return tw.Flush()
}
