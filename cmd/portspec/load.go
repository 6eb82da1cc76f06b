package main

// Reading the document, the same way in every command.

import (
	"context"
	"errors"
	"fmt"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// loadDocument reads and parses one document (standard input is the
// command's) and prints its warnings on stderr, those of an invalid document
// too: they often explain its errors.
func loadDocument(ctx context.Context, source string, opts parser.LoadOptions, std stdio) (*spec.Document, error) {
	opts.Stdin = std.in
	if std.client != nil {
		opts.HTTPClient = std.client
	}
	doc, err := parser.Load(ctx, source, opts)
	sizeGC(doc)
	if doc != nil {
		for _, w := range doc.Warnings {
			fmt.Fprintf(std.err, "warning: %s\n", spec.Escape(w.String()))
		}
		for _, p := range doc.Partial {
			fmt.Fprintf(std.err, "warning: the document looks cut short: %s\n", p)
		}
	}
	return doc, err
}

// sourceName is how a command names a source it reads: the embedded
// default's name for "", a URL without its credentials
// (parser.RedactSource).
func sourceName(source string) string {
	if source == "" {
		return spec.DefaultName
	}
	return parser.RedactSource(source)
}

// loadFailed reports a document that could not be loaded and returns the
// exit code: an invalid document's errors one file:line:col per line (exit
// 1), any other failure (I/O, a refused URL) on one line naming the command
// (exit 2).
func loadFailed(cmd string, err error, std stdio) int {
	var list spec.ErrorList
	if errors.As(err, &list) {
		printErr(std.err, list)
		return exitInvalid
	}
	fmt.Fprintf(std.err, "portspec %s: %s\n", cmd, spec.Escape(err.Error()))
	return exitUsage
}
