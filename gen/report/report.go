// Package report is the "report" target: the document for people, in the
// forms the teams that open firewalls ask for. Every form is written from
// the one model, in both languages:
//
//   - ports.csv: one row per port range of each rule (RFC 4180, UTF-8,
//     CRLF, document order), both purposes in columns, safe against
//     spreadsheet formula injection;
//   - ports.xlsx: the role-by-role matrix, a sheet per direction and one
//     naming the source, header rows frozen, filters on;
//   - ports.html: one self-contained page (no script, no request: a
//     Content-Security-Policy forbids both) with the matrix, a diagram
//     drawn as inline SVG, the document's tables and its source, and an
//     English/Russian switch made of CSS alone; printable;
//   - ports.mmd: the diagram as a Mermaid flowchart.
//
// Options (portspec.yaml, targets.report): formats (default all four) and
// lang (en, ru, or both, the default). Every file is a pure function of
// the document and the options, byte for byte: the workbook too, whose
// archive entries have a fixed time and order (see xlsx.go).
//
// The same writers serve `portspec report` (Render); the page and the
// table of `portspec changes` are in gen/report/changes.
package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "report"

// DefaultDir is the target's folder under the output root when the config
// names none.
const DefaultDir = "report"

// Format is one form of the report.
type Format string

// The formats.
const (
	CSV     Format = "csv"
	XLSX    Format = "xlsx"
	HTML    Format = "html"
	Mermaid Format = "mermaid"
)

// Formats returns every format, in the order the target writes them, in a
// slice of the caller's own.
func Formats() []Format { return []Format{CSV, XLSX, HTML, Mermaid} }

// ParseFormat reads a format's name.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use %s", s, formatList())
}

func formatList() string {
	var names []string
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}

// FileName is the file a format is written to: ports.csv, ports.xlsx,
// ports.html, ports.mmd.
func FileName(f Format) string {
	if f == Mermaid {
		return "ports.mmd"
	}
	return "ports." + string(f)
}

// Binary reports whether a format's bytes are not text (the workbook).
func Binary(f Format) bool { return f == XLSX }

// Lang is the language of a report's labels: en, ru or both.
type Lang = text.Lang

// The languages.
const (
	English = text.English
	Russian = text.Russian
	Both    = text.Both
)

// ParseLang reads a language: en, ru or both.
func ParseLang(s string) (Lang, error) { return text.ParseLang(s) }

// Options are the target's options (targets.report in portspec.yaml).
type Options struct {
	// Formats are the forms to write (csv, xlsx, html, mermaid). Default:
	// all.
	Formats []string `json:"formats"`
	// Lang is the language of the labels: en, ru, or both (the default):
	// the page gets a switch, the workbook's and diagram's labels name
	// both. Purposes are in both languages in the CSV and the workbook
	// whatever it is.
	Lang string `json:"lang"`
}

// resolve checks the options and applies the defaults.
func (o Options) resolve() ([]Format, Lang, error) {
	lang := Both
	if o.Lang != "" {
		l, err := ParseLang(o.Lang)
		if err != nil {
			return nil, "", fmt.Errorf("targets.%s.lang: %v", Name, err)
		}
		lang = l
	}
	if o.Formats == nil {
		return Formats(), lang, nil
	}
	if len(o.Formats) == 0 {
		return nil, "", fmt.Errorf("targets.%s.formats is empty: list at least one of %s, or set enabled: false", Name, formatList())
	}
	var fs []Format
	for _, s := range o.Formats {
		f, err := ParseFormat(s)
		if err != nil {
			return nil, "", fmt.Errorf("targets.%s.formats: %v", Name, err)
		}
		if slices.Contains(fs, f) {
			return nil, "", fmt.Errorf("targets.%s.formats: %s is listed twice", Name, f)
		}
		fs = append(fs, f)
	}
	return fs, lang, nil
}

// Generator is the report target.
type Generator struct{}

// New returns the report target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// Generate writes one file per chosen format.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	var opts Options
	if err := gen.DecodeOptions(Name, req.Options, &opts); err != nil {
		return nil, err
	}
	formats, lang, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	out := &gen.Output{}
	r := &renderer{doc: req.Doc}
	for _, f := range formats {
		data, err := r.render(f, lang)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, gen.File{Path: FileName(f), Data: data})
	}
	for _, g := range req.Doc.Groups {
		if !g.Known {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: group %s has unknown roles: its rows are under %q in the matrix and the diagram", spec.FormatPosition(g.Pos), g.ID, text.Role(spec.RoleUnknown, "en")))
		}
	}
	return out, nil
}

// Render writes the document in one format, with the labels in lang: the
// bytes the target writes to FileName(f).
func Render(doc *spec.Document, f Format, lang Lang) ([]byte, error) {
	return (&renderer{doc: doc}).render(f, lang)
}

// renderer writes one document's formats, building its matrix (the
// workbook's, the page's and the diagram's) once.
type renderer struct {
	doc *spec.Document
	m   *matrix
}

func (r *renderer) matrix() matrix {
	if r.m == nil {
		m := buildMatrix(r.doc)
		r.m = &m
	}
	return *r.m
}

func (r *renderer) render(f Format, lang Lang) ([]byte, error) {
	if _, err := ParseLang(string(lang)); err != nil {
		return nil, err
	}
	switch f {
	case CSV:
		return writeCSV(r.doc), nil
	case XLSX:
		return writeXLSX(r.doc, lang, r.matrix())
	case HTML:
		return writeHTML(r.doc, lang, r.matrix()), nil
	case Mermaid:
		return writeMermaid(r.doc, lang, r.matrix()), nil
	}
	return nil, fmt.Errorf("unknown format %q: use %s", f, formatList())
}
