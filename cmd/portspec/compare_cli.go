package main

// What `portspec drift` and `portspec changes` share: reading a document
// for a comparison, and writing a compare.Report in the chosen format.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/spec"
)

// loadCompared reads and parses one document of a comparison, printing
// its warnings. On failure it says why on stderr and returns the exit code:
// exitInvalid for an invalid document, exitUsage for one that could not be
// read at all.
func loadCompared(ctx context.Context, cmd, source string, df *docFlags, std stdio) (*spec.Document, int) {
	opts, err := df.options()
	if err != nil {
		fmt.Fprintf(std.err, "portspec %s: %v\n", cmd, err)
		return nil, exitUsage
	}
	doc, err := loadDocument(ctx, source, opts, std)
	if err == nil {
		return doc, exitOK
	}
	name := sourceName(source)
	var list spec.ErrorList
	if errors.As(err, &list) {
		fmt.Fprintf(std.err, "portspec %s: %s is not a valid document:\n", cmd, spec.Escape(name))
		for _, e := range list {
			fmt.Fprintf(std.err, "  %s\n", spec.Escape(e.Error()))
		}
		return nil, exitInvalid
	}
	fmt.Fprintf(std.err, "portspec %s: cannot read %s: %s\n", cmd, spec.Escape(name), spec.Escape(err.Error()))
	return nil, exitUsage
}

// reportFormats are the values of --format.
var reportFormats = []string{"text", "markdown", "json"}

func checkFormat(cmd, f string, std stdio) bool {
	for _, ok := range reportFormats {
		if f == ok {
			return true
		}
	}
	fmt.Fprintf(std.err, "portspec %s: unknown format %q: use %s\n", cmd, f, strings.Join(reportFormats, ", "))
	return false
}

func writeReport(w io.Writer, r *compare.Report, format string, v compare.View) error {
	switch format {
	case "markdown":
		return r.WriteMarkdown(w, v)
	case "json":
		b, err := r.MarshalJSON()
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}
	return r.WriteText(w, v)
}

// writeNotChecked writes, in the report's format, that drift was not
// checked because the current document is invalid, so that a report read
// by a person or a job (the nightly issue) says so instead of saying
// nothing. The errors themselves are on stderr.
func writeNotChecked(w io.Writer, format, source, why string) {
	source = sourceName(source)
	msg := "drift NOT checked: " + spec.Escape(source) + " " + why
	switch format {
	case "json":
		b, _ := json.Marshal(map[string]any{"checked": false, "source": source, "error": msg})
		fmt.Fprintf(w, "%s\n", b)
	case "markdown":
		fmt.Fprintf(w, "**%s**\n", msg)
	default:
		fmt.Fprintln(w, msg)
	}
}
