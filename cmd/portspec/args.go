package main

// One grammar for every command: the document is a positional argument
// (FILE, "-" for standard input, an https URL, "" for the embedded
// default), flags may come before or after it, and every command that reads
// a document takes the same fetch flags.

import (
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/portspec/portspec/parser"
)

// docFlags are the flags that say how a document is read, the same on
// every command that reads one.
type docFlags struct {
	kind      string
	allowHTTP bool
	timeout   time.Duration
	maxBytes  int64
	// The bases of the version sources: the flags, over the config's
	// (useConfig), over the defaults.
	deckhouseURL, siteURL, siteURLRU string
	configSources                    parser.Sources
}

func (d *docFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&d.kind, "kind", "auto", "input kind: auto, markdown, html, text or data")
	fs.StringVar(&d.deckhouseURL, "deckhouse-url", "", "base of deckhouse@REF: the upstream repository's raw files (default "+parser.DefaultDeckhouseURL+")")
	fs.StringVar(&d.siteURL, "site-url", "", "base of deckhouse-site@VERSION: the documentation site in English (default "+parser.DefaultSiteURL+")")
	fs.StringVar(&d.siteURLRU, "site-url-ru", "", "base of deckhouse-site@VERSION#ru: the documentation site in Russian (default "+parser.DefaultSiteURLRU+")")
	fs.BoolVar(&d.allowHTTP, "allow-http", false, "allow plain http:// URLs (default: https only)")
	fs.DurationVar(&d.timeout, "timeout", parser.DefaultTimeout, "time limit of a download")
	fs.Int64Var(&d.maxBytes, "max-bytes", parser.DefaultMaxBytes, "largest document accepted, in bytes")
}

// options returns the parser's load options, or a usage error.
func (d *docFlags) options() (parser.LoadOptions, error) {
	k, err := parser.ParseKind(d.kind)
	if err != nil {
		return parser.LoadOptions{}, err
	}
	return parser.LoadOptions{Options: parser.Options{Kind: k}, AllowHTTP: d.allowHTTP, Timeout: d.timeout, MaxBytes: d.maxBytes, Sources: d.sources(), HTTPClient: httpClient}, nil
}

// sources are the bases of the version sources: each flag given, else the
// config's, else (empty) the default.
func (d *docFlags) sources() parser.Sources {
	s := d.configSources
	if d.deckhouseURL != "" {
		s.Deckhouse = d.deckhouseURL
	}
	if d.siteURL != "" {
		s.Site = d.siteURL
	}
	if d.siteURLRU != "" {
		s.SiteRU = d.siteURLRU
	}
	return s
}

// httpClient fetches URLs: nil (the parser's own client, the system's
// certificates) except in tests, which set a client that trusts their
// httptest server.
var httpClient *http.Client

// parseArgs parses flags that may come before, between or after the
// positional arguments ("changes OLD NEW --format json"); "--" ends the
// flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
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

// document is the one document a command reads: where, whether it was
// named, and how to read it.
type document struct {
	source string
	given  bool
	opts   parser.LoadOptions
}

// document returns the document of a command with at most one: documentArg
// and the read options, or a usage error.
func (d *docFlags) document(fs *flag.FlagSet, pos []string, alias string) (document, error) {
	source, given, err := documentArg(fs, pos, alias)
	if err != nil {
		return document{}, err
	}
	opts, err := d.options()
	return document{source, given, opts}, err
}

// documentArg returns the one document a command names: its positional
// argument, or the value of its older flag (alias, "input" or "source"),
// which is kept for scripts written before the positional form. given
// reports whether either was there; naming it twice, or two documents, is
// a usage error.
func documentArg(fs *flag.FlagSet, pos []string, alias string) (doc string, given bool, err error) {
	aliasSet := false
	fs.Visit(func(f *flag.Flag) { aliasSet = aliasSet || f.Name == alias })
	switch {
	case len(pos) > 1:
		return "", false, fmt.Errorf("one document at most, got %d: %q", len(pos), pos)
	case len(pos) == 1 && aliasSet:
		return "", false, fmt.Errorf("the document is given twice, as %q and with --%s: give it once", pos[0], alias)
	case len(pos) == 1:
		return pos[0], true, nil
	case aliasSet:
		return fs.Lookup(alias).Value.String(), true, nil
	}
	return "", false, nil
}
