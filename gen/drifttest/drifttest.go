// Package drifttest is the target that writes drift_test.go into the Go
// package's folder: a test that holds the model the package was generated
// from and fails, with a readable report, when the current document says
// something else. It is how a downstream repository learns in `go test`
// that the page changed (or that portspec's embedded copy did) and that it
// must regenerate.
//
// The same file is the snapshot `portspec drift` compares against: the
// driver writes only files that carry the portspec header, so the model is
// kept as spec's JSON form in a string slice of this Go file (ReadSnapshot
// reads it back) rather than in a separate .json file.
package drifttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/token"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "drifttest"

// FileName is the file the target writes into the Go package's folder.
const FileName = "drift_test.go"

// Environment variables the generated test reads.
const (
	// EnvSource names the document to compare with: a file or an https URL
	// ("" or unset: the document the package was generated from).
	EnvSource = "PORTSPEC_DRIFT_SOURCE"
	// EnvAllowHTTP=1 lets EnvSource be a plain http URL (for tests against
	// a local server).
	EnvAllowHTTP = "PORTSPEC_DRIFT_ALLOW_HTTP"
	// EnvAllowPartial=1 compares a current document that looks cut short
	// (spec.Document.Partial), as portspec drift --allow-partial does.
	EnvAllowPartial = "PORTSPEC_DRIFT_ALLOW_PARTIAL"
)

// Options are the target's section of portspec.yaml (targets.drifttest).
type Options struct {
	// Acknowledge names a YAML file (relative to portspec.yaml) listing the
	// changes `portspec drift` accepts (compare.AckFile; see docs/drift.md,
	// "The acknowledge file").
	// The generated test ignores it: it fails on any change.
	Acknowledge string `json:"acknowledge,omitempty"`
}

// DecodeOptions reads the target's options strictly.
func DecodeOptions(raw json.RawMessage) (Options, error) {
	var o Options
	err := gen.DecodeOptions(Name, raw, &o)
	return o, err
}

type generator struct{}

// New returns the drift-test target.
func New() gen.Generator { return generator{} }

func (generator) Name() string { return Name }

// DefaultDir is "": the drift test has no folder of its own. It is a
// _test.go file of the generated Go package and is written into that
// package's folder, wherever it is configured; gen/targets declares which
// target's folder that is (the target never names another target).
func (generator) DefaultDir() string { return "" }

func (generator) Generate(req gen.Request) (*gen.Output, error) {
	if _, err := DecodeOptions(req.Options); err != nil {
		return nil, err
	}
	pkg := path.Base(req.Dir)
	if req.Dir == "" || !token.IsIdentifier(pkg) || token.IsKeyword(pkg) {
		return nil, gen.OptionErrorf(gen.Option(Name, "dir"), "folder %q: its last element must be a Go package name (the Go target's package)", req.Dir)
	}
	src, err := render(req.UpstreamDoc(), req.Overlay, pkg)
	if err != nil {
		return nil, err
	}
	return &gen.Output{Files: []gen.File{{Path: FileName, Data: src}}}, nil
}

// DefaultSource is what the generated test reads when EnvSource is unset:
// "" (the embedded default) when the package was generated from it, else
// the document's own source.
func DefaultSource(doc *spec.Document) string {
	if doc.Source == spec.DefaultName {
		return ""
	}
	return doc.Source
}

// render writes drift_test.go. The code is fixed; only the header (a
// one-line comment, gen.Header), the package name, the default source, the
// snapshot (the upstream document: the site's overlay is not drift) and
// the site's overlay vary. The source is a literal from strconv.Quote;
// each snapshot and overlay line is a raw string when it has no backquote
// and only printable runes, else strconv.Quote's (writeGoString). Either
// way no text of the document or the config can escape into code.
//
// The text is written gofmt-formatted (one element per line, tabs, the
// fixed code formatted by hand), so it is not run through go/format: that
// pass cost nearly all of the target's time and gave back the same bytes.
// TestRenderIsFormatted keeps it so.
func render(doc *spec.Document, ov *overlay.Overlay, pkg string) ([]byte, error) {
	js, err := doc.MarshalJSON()
	if err != nil {
		return nil, err
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, js, "", " "); err != nil {
		return nil, err
	}
	var ovLines []string
	if !ov.Empty() {
		oj, err := ov.MarshalJSON()
		if err != nil {
			return nil, err
		}
		var oi bytes.Buffer
		if err := json.Indent(&oi, oj, "", " "); err != nil {
			return nil, err
		}
		ovLines = strings.Split(oi.String(), "\n")
	}
	var b strings.Builder
	// The snapshot's lines, each with a tab, two backquotes, a comma and a
	// new line, and the fixed code: one allocation for the file unless a
	// line needs strconv.Quote.
	lines := bytes.Count(ind.Bytes(), []byte("\n")) + 1
	b.Grow(ind.Len() + 5*lines + len(testImports) + len(testBody) + 1024)
	b.WriteString(gen.Header("//", doc))
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "package %s_test\n", pkg)
	b.WriteString(testImports)
	fmt.Fprintf(&b, "\n// driftSource is the document this package was generated from (%q is\n// portspec's embedded default document).\nconst driftSource = %s\n", "", strconv.Quote(DefaultSource(doc)))
	b.WriteString("\n// driftSnapshot is the model this package was generated from, in spec's\n// JSON form, one line per element (portspec drift reads it too).\nvar driftSnapshot = []string{\n")
	for line := range strings.SplitSeq(ind.String(), "\n") {
		b.WriteByte('\t')
		writeGoString(&b, line)
		b.WriteString(",\n")
	}
	b.WriteString("}\n")
	b.WriteString("\n// driftOverlay is the site's overlay (portspec.yaml's overlay section) in\n// its JSON form, empty without one: every entry must still match the\n// current document.\nvar driftOverlay = []string{")
	if len(ovLines) > 0 {
		b.WriteString("\n")
	}
	for _, line := range ovLines {
		b.WriteByte('\t')
		writeGoString(&b, line)
		b.WriteString(",\n")
	}
	b.WriteString("}\n")
	b.WriteString(testBody)
	return []byte(b.String()), nil
}

// writeGoString writes a Go literal of s: a raw string when s holds only
// printable characters and no backquote (the JSON stays readable in
// review), else an interpreted one.
func writeGoString(b *strings.Builder, s string) {
	for _, r := range s {
		if r == '`' || r == '\uFEFF' || !unicode.IsPrint(r) {
			b.WriteString(strconv.Quote(s))
			return
		}
	}
	b.WriteByte('`')
	b.WriteString(s)
	b.WriteByte('`')
}

const testImports = `
import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)
`

const testBody = `
// TestDrift reads the current document and fails when it differs from the
// model this package was generated from, listing per group the ports,
// protocols and groups added or removed and the purposes changed, each with
// the current document's line, or when an entry of the site's overlay no
// longer matches it. It reads the network only when the source is a URL or
// a version source: by default the document the package was generated from
// is read again (portspec's embedded copy for the default). Set
// ` + EnvSource + ` to a file or an https URL to compare with another one. A
// current document that looks cut short is not compared (unless
// ` + EnvAllowPartial + `=1, or the package was generated from one).
func TestDrift(t *testing.T) {
	src, fromEnv := os.LookupEnv("` + EnvSource + `")
	if !fromEnv || src == "" {
		src = driftSource
		if src == "-" || parser.IsRemote(src) {
			t.Skipf("this package was generated from %s; set ` + EnvSource + ` to that URL or a file to compare (kept off the network by default)", src)
		}
		src = driftFindFile(src)
	}
	var old spec.Document
	if err := old.UnmarshalJSON([]byte(strings.Join(driftSnapshot, "\n"))); err != nil {
		t.Fatalf("drift: the snapshot in this file does not decode (regenerate it): %v", err)
	}
	if err := spec.Validate(&old); err != nil {
		t.Fatalf("drift: the snapshot in this file is not a valid model (regenerate it): %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cur, err := parser.Load(ctx, src, parser.LoadOptions{
		AllowHTTP: os.Getenv("` + EnvAllowHTTP + `") == "1",
		Timeout:   30 * time.Second,
	})
	if err != nil {
		name := src
		if name == "" {
			name = spec.DefaultName
		}
		t.Fatalf("drift NOT checked: cannot read the current document %s:\n%v", name, err)
	}
	if len(cur.Partial) > 0 && len(old.Partial) == 0 && os.Getenv("` + EnvAllowPartial + `") != "1" {
		var b strings.Builder
		for _, p := range cur.Partial {
			b.WriteString("\n" + p.String())
		}
		t.Fatalf("drift NOT checked: the current document looks cut short, and would close every port it lost (set ` + EnvAllowPartial + `=1 to compare it all the same):%s", b.String())
	}
	if len(driftOverlay) > 0 {
		var ov overlay.Overlay
		if err := ov.UnmarshalJSON([]byte(strings.Join(driftOverlay, "\n"))); err != nil {
			t.Fatalf("drift: the overlay in this file does not decode (regenerate it): %v", err)
		}
		if _, err := ov.Apply(cur); err != nil {
			var list spec.ErrorList
			errors.As(err, &list)
			var b strings.Builder
			for _, e := range list {
				b.WriteString("\n" + e.Error())
			}
			t.Errorf("the site's overlay no longer matches the current document: fix or remove these entries of the config, then regenerate:%s", b.String())
		}
	}
	d := compare.Documents(&old, cur)
	for _, n := range d.Notes {
		t.Log(n)
	}
	if d.Empty() {
		return
	}
	var b strings.Builder
	if err := d.WriteText(&b, compare.ByGroup); err != nil {
		t.Fatal(err)
	}
	t.Errorf("the current document differs from the model this package was generated from; "+
		"regenerate (go generate ./...) after checking the changes:\n%s", b.String())
}

// driftFindFile resolves a relative file name the package was generated
// from: as given, else relative to each parent folder up to the module's
// root (go test runs in the package's folder, portspec usually ran at the
// root). The embedded default ("") stays as it is.
func driftFindFile(name string) string {
	if name == "" || filepath.IsAbs(name) {
		return name
	}
	dir, err := os.Getwd()
	if err != nil {
		return name
	}
	for {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil || errors.Is(err, os.ErrPermission) {
			return name
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return name
		}
		dir = parent
	}
}
`
