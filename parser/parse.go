// Package parser reads the Deckhouse network interaction page, in any of the
// forms it exists in, into the spec model: markdown (the rendered page or a
// text capture of it), the HTML page the documentation site serves, text
// copies of it (a browser's tab-separated copy, space-aligned plain text)
// and the deckhouse-ports.yml data file the page is generated from. Load
// reads files, standard input, URLs and the version sources
// (deckhouse@REF, deckhouse-site@VERSION). It is the only package that
// imports goldmark and golang.org/x/net/html.
package parser

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/portspec/portspec/spec"
)

// Kind is the input format.
type Kind string

const (
	KindAuto     Kind = "auto"     // detect from the content (the zero value means the same)
	KindMarkdown Kind = "markdown" // markdown tables under headings
	KindData     Kind = "data"     // deckhouse-ports.yml
	KindHTML     Kind = "html"     // the page as the documentation site serves it
	KindText     Kind = "text"     // a text copy: tab-separated (a browser's) or space-aligned
)

// kindList is how messages name the kinds.
const kindList = "auto, markdown, html, text or data"

// ParseKind reads a --kind flag value.
func ParseKind(s string) (Kind, error) {
	switch k := Kind(s); k {
	case "", KindAuto:
		return KindAuto, nil
	case KindMarkdown, KindData, KindHTML, KindText:
		return k, nil
	}
	return "", fmt.Errorf("unknown kind %q: use %s", s, kindList)
}

// Options controls Parse.
type Options struct {
	// Kind forces the input format; KindAuto (or "") detects it.
	Kind Kind
}

// Parse reads one document. name is used in positions and as
// Document.Source. The error, when not nil, is a spec.ErrorList of every
// problem found in the document, sorted, each "file:line:col: message";
// the document returned with it is partial and useful only for its
// warnings. A document returned without error has passed spec.Validate.
func Parse(name string, src []byte, opts Options) (doc *spec.Document, err error) {
	// The digest is taken beside the parse (on another core when there is
	// one): for a large document it is about a twentieth of the work.
	digest := make(chan [sha256.Size]byte, 1)
	go func() { digest <- sha256.Sum256(src) }()
	doc = &spec.Document{Source: name}
	s := newSource(name, src)
	r := newReader(s, doc)
	defer func() {
		// A bug must not take the caller down with it: report it as an
		// error of the document, which the fuzz test treats as a failure.
		if p := recover(); p != nil {
			doc, err = nil, spec.ErrorList{{Pos: s.lineCol(1, 1), Msg: fmt.Sprintf("internal error in portspec's parser (please report it): %v", p)}}
		}
	}()

	kind := opts.Kind
	if kind == "" || kind == KindAuto {
		kind = detectKind(name, src)
	}
	doc.Kind = string(kind)
	if checkText(r) {
		switch kind {
		case KindData:
			readData(r)
		case KindMarkdown:
			readMarkdown(r)
		case KindHTML:
			readHTML(r)
		case KindText:
			readText(r)
		default:
			return nil, fmt.Errorf("unknown kind %q: use %s", kind, kindList)
		}
		r.checkGroups()
	}
	doc.Languages = r.languages()
	doc.Warnings = append(doc.Warnings, spec.Overlaps(doc)...)
	spec.SortDiagnostics(doc.Warnings)
	spec.SortDiagnostics(doc.Partial)
	r.validate()
	sum := <-digest
	doc.SHA256 = hex.EncodeToString(sum[:])
	return doc, r.err()
}

// validate runs spec.Validate on the document, leaving out groups that lost
// rows to errors already reported and are empty because of them.
func (r *reader) validate() {
	d := *r.doc
	d.Groups = nil
	for _, g := range r.doc.Groups {
		if len(g.Rules) == 0 && r.damaged[g.ID] {
			continue
		}
		d.Groups = append(d.Groups, g)
	}
	if len(d.Groups) == 0 && len(r.errs) > 0 {
		return // the errors already say why there is nothing
	}
	if err := spec.Validate(&d); err != nil {
		for _, e := range err.(spec.ErrorList) {
			r.errs.Add(e.Pos, e.Msg)
		}
	}
}
