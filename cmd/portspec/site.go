package main

// What the site adds to reading a document: the version sources' bases
// from the config, and the overlay, checked against the upstream document
// that drift and changes compare.

import (
	"context"
	"errors"
	"fmt"

	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// useConfig takes the bases of the version sources from the config; the
// flags still win.
func (d *docFlags) useConfig(cfg *config.Config) {
	d.configSources = cfg.Sources
}

// siteOf is what a comparing command takes from its config: the bases of
// the version sources (useConfig) and the overlay, whose errors it prints
// (ok false: the config could not be read, exit 2).
func (d *docFlags) siteOf(cfg *config.Config, std stdio) (ov *overlay.Overlay, ok bool) {
	d.useConfig(cfg)
	ov, err := cfg.SiteOverlay()
	if err != nil {
		printErr(std.err, err)
		return nil, false
	}
	return ov, true
}

// staleOverlay returns the overlay's entries that no longer match doc (the
// errors Apply gives), one "file:line:col: message" each.
func staleOverlay(ov *overlay.Overlay, doc *spec.Document) []string {
	if ov.Empty() {
		return nil
	}
	_, err := ov.Apply(doc)
	if err == nil {
		return nil
	}
	var list spec.ErrorList
	if !errors.As(err, &list) {
		return []string{err.Error()}
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.Error()
	}
	return out
}

// partialRefused reports whether drift must not compare cur, which looks
// cut short (unless allowed, or the snapshot came from such a document
// too), and says why on stderr.
func partialRefused(cur, old *spec.Document, allow bool, std stdio) bool {
	if len(cur.Partial) == 0 || len(old.Partial) > 0 || allow {
		return false
	}
	fmt.Fprintf(std.err, "portspec drift: drift NOT checked (exit %d): %s looks cut short, and compared whole it would close every port it lost (--allow-partial compares it all the same):\n", exitUsage, sourceName(cur.Source))
	for _, p := range cur.Partial {
		fmt.Fprintf(std.err, "  %s\n", p)
	}
	return true
}

// liveDocument reads the document a live check (verify, probe) compares
// the system with: the one named, else the config's input, after the
// config's overlay (the site's own rows are documented too), with the
// config's clients table. It prints why it fails and returns the exit code.
func liveDocument(ctx context.Context, cmd, configPath string, in document, df *docFlags, std stdio) (*spec.Document, *clients.Table, int) {
	cfg, err := findConfig(configPath, configPath != "")
	if err != nil {
		printErr(std.err, err)
		return nil, nil, exitUsage
	}
	ov, ok := df.siteOf(cfg, std)
	if !ok {
		return nil, nil, exitInvalid
	}
	table, err := cfg.ClientTable()
	if err != nil {
		printErr(std.err, err)
		return nil, nil, exitInvalid
	}
	opts, err := df.options() // again: the config may name version sources
	if err != nil {
		fmt.Fprintf(std.err, "portspec %s: %v\n", cmd, err)
		return nil, nil, exitUsage
	}
	source := cfg.Path(cfg.Input)
	if in.given {
		source = in.source
	}
	doc, err := loadDocument(ctx, source, opts, std)
	if err != nil {
		return nil, nil, loadFailed(cmd, err, std)
	}
	if !ov.Empty() {
		if doc, err = ov.Apply(doc); err != nil {
			printErr(std.err, err)
			return nil, nil, exitInvalid
		}
	}
	return doc, table, exitOK
}
