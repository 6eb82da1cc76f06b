package main

// What `portspec drift` and `portspec changes` share: reading a document
// for a comparison, and writing a compare.Report in the chosen format.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// loadFlags are the fetching flags of both commands.
type loadFlags struct {
	allowHTTP bool
	timeout   time.Duration
	maxBytes  int64
}

func (l *loadFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.allowHTTP, "allow-http", false, "allow plain http:// URLs (default: https only)")
	fs.DurationVar(&l.timeout, "timeout", parser.DefaultTimeout, "time limit of a download")
	fs.Int64Var(&l.maxBytes, "max-bytes", parser.DefaultMaxBytes, "largest document accepted, in bytes")
}

// load reads and parses one document, printing its warnings. Every failure
// (I/O, a refused URL, an invalid document) is reported on stderr; the
// caller exits 2: nothing was compared.
func (l *loadFlags) load(ctx context.Context, cmd, source string, io stdio) (*spec.Document, bool) {
	doc, err := loadDocument(ctx, source, parser.LoadOptions{AllowHTTP: l.allowHTTP, Timeout: l.timeout, MaxBytes: l.maxBytes}, io)
	if err != nil {
		name := source
		if name == "" {
			name = spec.DefaultName
		}
		var list spec.ErrorList
		if errors.As(err, &list) {
			fmt.Fprintf(io.err, "portspec %s: %s is not a valid document:\n", cmd, name)
			for _, e := range list {
				fmt.Fprintf(io.err, "  %s\n", e)
			}
		} else {
			fmt.Fprintf(io.err, "portspec %s: cannot read %s: %v\n", cmd, name, err)
		}
		return nil, false
	}
	return doc, true
}

// reportFormats are the values of --format.
var reportFormats = []string{"text", "markdown", "json"}

func checkFormat(cmd, f string, io stdio) bool {
	for _, ok := range reportFormats {
		if f == ok {
			return true
		}
	}
	fmt.Fprintf(io.err, "portspec %s: unknown format %q: use %s\n", cmd, f, strings.Join(reportFormats, ", "))
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

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("changes OLD NEW --format json").
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
