package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/portspec/portspec/gen/report"
)

const reportUsage = `usage: portspec report [flags] [DOCUMENT]

Writes the document for people, in one of the report target's forms:
  csv      one row per port range of each rule, both purposes (RFC 4180)
  xlsx     a workbook: the role-by-role matrix, a sheet per direction
  html     one self-contained page: diagram, matrix, the document's tables
           (no script and no request: it opens anywhere, offline)
  mermaid  the diagram as a Mermaid flowchart
--lang is the labels' language: en, ru, or both (the page gets a switch).
The bytes are those 'portspec generate' writes to generated/report/ for the
same document and options. --out FILE writes them there instead of to
standard output; the workbook (binary) needs --out (FILE, or - for standard
output). The changes
between two versions as a page or a table: portspec changes --format
html|csv OLD NEW. Exit codes: portspec --help.

flags:
`

func runReport(ctx context.Context, args []string, std stdio) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(std.err)
	format := fs.String("format", "html", "csv, xlsx, html or mermaid")
	lang := fs.String("lang", string(report.Both), "language of the labels: en, ru or both")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	var df docFlags
	df.register(fs)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), reportUsage)
		fs.PrintDefaults()
	}
	pos, err := parseArgs(fs, args)
	if err != nil {
		return helpOrUsage(fs, err, std)
	}
	f, err := report.ParseFormat(*format)
	if err == nil {
		_, err = report.ParseLang(*lang)
	}
	if err == nil && report.Binary(f) && *out == "" {
		err = fmt.Errorf("the %s workbook is binary: give --out FILE (or --out - for standard output)", f)
	}
	if err != nil {
		fmt.Fprintf(std.err, "portspec report: %v\n", err)
		return exitUsage
	}
	in, err := df.document(fs, pos, "")
	if err != nil {
		fmt.Fprintf(std.err, "portspec report: %v\n", err)
		return exitUsage
	}
	doc, err := loadDocument(ctx, in.source, in.opts, std)
	if err != nil {
		return loadFailed("report", err, std)
	}
	data, err := report.Render(doc, f, report.Lang(*lang))
	if err != nil {
		fmt.Fprintf(std.err, "portspec report: %v\n", err)
		return exitUsage
	}
	return writeOutput("report", *out, data, std)
}

// writeOutput writes a command's output to the file named by --out, or
// to standard output ("" or "-").
func writeOutput(cmd, out string, data []byte, std stdio) int {
	var err error
	if out != "" && out != "-" {
		err = os.WriteFile(out, data, 0o644)
	} else {
		_, err = std.out.Write(data)
	}
	if err != nil {
		fmt.Fprintf(std.err, "portspec %s: %v\n", cmd, err)
		return exitUsage
	}
	return exitOK
}
