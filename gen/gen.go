// Package gen is the API every output target implements: a Generator turns
// a Request (the model, the target's options and folder) into an Output of
// files in memory. Every generated file starts with Header.
//
// A target (gen/golang, gen/cilium, …) is a pure function of the model and
// its options: it never touches the disk. gen/config reads portspec.yaml
// and resolves which targets run where; gen/driver runs them and is the only
// code that writes, so that `generate`, `generate --check`, tests and the
// drift check all run the same code. gen/targets lists the targets.
package gen

import (
	"encoding/json"

	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// File is one generated file. Path is slash-separated and relative to the
// target's output folder (Request.Dir).
type File struct {
	Path string
	Data []byte
}

// Output is what a target generates from one document.
type Output struct {
	Files []File
	// Warnings name rows of the document that the target could not express
	// (and therefore left out or emitted only as comments). They are printed
	// by the CLI; nothing is dropped silently.
	Warnings []string
}

// Request is the input of a target.
type Request struct {
	// Doc is the document to generate from. It is read-only: every target
	// of a run gets the same document, so a target must not modify it or
	// anything it points to (its groups, rules, ports and texts); a target
	// that needs a changed model copies what it changes.
	Doc *spec.Document
	// Upstream is the document as upstream has it, before the site's
	// overlay (portspec.yaml's `overlay`): the model the drift test keeps,
	// since the overlay is not drift. It is Doc when there is no overlay;
	// nil means Doc too. Read-only, as Doc.
	Upstream *spec.Document
	// Overlay is the site's overlay that made Doc from Upstream (nil or
	// empty: none). The drift test keeps it to report an entry that no
	// longer matches the current document. Read-only.
	Overlay *overlay.Overlay
	// Options is the target's section of portspec.yaml ("targets.<name>")
	// without the keys the config handles itself (dir, enabled), nil when
	// there is none. A target decodes it strictly with DecodeOptions and
	// applies its own defaults.
	Options json.RawMessage
	// Dir is the target's output folder, slash-separated and relative to the
	// output root. Targets that write Go use its last element as the package
	// name.
	Dir string
	// Idents are the identifier overrides of the config, keyed as the Go
	// target documents (used by targets that name things after rules).
	Idents map[string]string
	// Clients says who really connects to each row (gen/clients): the
	// config's `clients` entries before the defaults. Read it through
	// ClientTable, which gives the defaults when it is nil. Read-only too.
	Clients *clients.Table
}

// UpstreamDoc returns the document before the overlay: Upstream, or Doc
// when the request has none.
func (r Request) UpstreamDoc() *spec.Document {
	if r.Upstream == nil {
		return r.Doc
	}
	return r.Upstream
}

// ClientTable returns the request's clients table, or the default table
// when the request has none (a target called directly, as tests do).
func (r Request) ClientTable() *clients.Table {
	if r.Clients == nil {
		return clients.New(nil)
	}
	return r.Clients
}

// Generator is an output target.
type Generator interface {
	// Name is the target's key in portspec.yaml (each target package
	// exports it as the constant Name).
	Name() string
	// DefaultDir is the target's output folder under the output root when
	// the config names none (each target package that has a folder of its
	// own exports it as the constant DefaultDir).
	DefaultDir() string
	Generate(req Request) (*Output, error)
}
