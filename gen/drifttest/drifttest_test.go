package drifttest

import (
	"bytes"
	"encoding/json"
	"go/format"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/golden"
	"github.com/portspec/portspec/spec"
	"golang.org/x/tools/txtar"
)

// hostileDoc is a small document whose texts try to break out of Go
// literals and comments.
func hostileDoc() *spec.Document {
	pos := func(l int) token.Position { return token.Position{Filename: "hostile.md", Line: l, Column: 1} }
	return &spec.Document{
		Source: "hostile.md\n// injected", Kind: "markdown", SHA256: "abc", Languages: []string{"en", "ru"},
		Groups: []spec.Group{{
			ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode, Direction: spec.Ingress,
			Titles: map[string]string{"en": "Nodes to nodes traffic"}, Pos: pos(1),
			Rules: []spec.Rule{
				{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 7000, Last: 7999}}, Pos: pos(3), Purposes: spec.PurposesFrom(map[string]spec.Purpose{
					"en": {Text: "a `code` */ \"quote\" \n//go:generate rm -rf / \\ \x00", Markdown: "a `code` */"},
					"ru": {Text: "Репликация DRBD", Markdown: "Репликация *DRBD*"},
				})},
				{Protocol: spec.ICMP, Pos: pos(4), Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "ICMP", Markdown: "ICMP"}})},
			},
		}},
		Warnings: []spec.Diagnostic{{Pos: pos(2), Msg: "a warning"}},
	}
}

func generate(t *testing.T, doc *spec.Document, dir string) []byte {
	t.Helper()
	out, err := New().Generate(gen.Request{Doc: doc, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) != 1 || out.Files[0].Path != FileName {
		t.Fatalf("want one file %s, got %+v", FileName, out.Files)
	}
	return out.Files[0].Data
}

func TestSnapshotRoundTrip(t *testing.T) {
	doc := hostileDoc()
	src := generate(t, doc, "sub/ports")
	if !gen.IsGenerated(src) {
		t.Fatalf("no portspec header:\n%s", src)
	}
	if !strings.Contains(string(src), "\npackage ports_test\n") {
		t.Errorf("package clause is not ports_test")
	}
	got, err := ReadSnapshot("drift_test.go", src)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(doc)
	have, _ := json.Marshal(got)
	if diff := cmp.Diff(string(want), string(have)); diff != "" {
		t.Errorf("snapshot does not round-trip (-want +got):\n%s", diff)
	}
	if d := compare.Documents(doc, got); !d.Empty() {
		t.Errorf("snapshot compares unequal to its document: %v", d.Changes)
	}
}

func TestSnapshotDeterministic(t *testing.T) {
	a := generate(t, hostileDoc(), "ports")
	b := generate(t, hostileDoc(), "ports")
	if string(a) != string(b) {
		t.Error("the same model gave different files")
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, dir := range []string{"", "my-ports", "x/func"} {
		if _, err := New().Generate(gen.Request{Doc: hostileDoc(), Dir: dir}); err == nil {
			t.Errorf("dir %q: want an error (not a Go package name)", dir)
		}
	}
	if _, err := New().Generate(gen.Request{Doc: hostileDoc(), Dir: "ports", Options: json.RawMessage(`{"bogus": 1}`)}); err == nil ||
		!strings.Contains(err.Error(), "targets.drifttest") {
		t.Errorf("unknown option: want an error naming targets.drifttest, got %v", err)
	}
	if o, err := DecodeOptions(json.RawMessage(`{"acknowledge": "ack.yaml"}`)); err != nil || o.Acknowledge != "ack.yaml" {
		t.Errorf("acknowledge option: %+v, %v", o, err)
	}
}

func TestReadSnapshotRejects(t *testing.T) {
	good := generate(t, hostileDoc(), "ports")
	for name, src := range map[string]string{
		"no header":   strings.SplitN(string(good), "\n", 2)[1],
		"no snapshot": gen.Header("//", hostileDoc()) + "\n\npackage ports_test\n",
		"not a list":  gen.Header("//", hostileDoc()) + "\n\npackage ports_test\nvar driftSnapshot = f()\n",
		"bad json":    gen.Header("//", hostileDoc()) + "\n\npackage ports_test\nvar driftSnapshot = []string{\"{\"}\n",
		"not go":      gen.Header("//", hostileDoc()) + "\n\npackage {\n",
	} {
		if _, err := ReadSnapshot("drift_test.go", []byte(src)); err == nil {
			t.Errorf("%s: want an error", name)
		} else if !strings.Contains(err.Error(), "drift_test.go") {
			t.Errorf("%s: error does not name the file: %v", name, err)
		}
	}
}

func TestDefaultSource(t *testing.T) {
	if s := DefaultSource(&spec.Document{Source: spec.DefaultName}); s != "" {
		t.Errorf("embedded default: got %q, want \"\"", s)
	}
	if s := DefaultSource(&spec.Document{Source: "docs/ports.yml"}); s != "docs/ports.yml" {
		t.Errorf("a file: got %q", s)
	}
}

// TestGolden pins the whole generated file for a small document.
func TestGolden(t *testing.T) {
	got := generate(t, hostileDoc(), "ports")
	golden.Check(t, filepath.Join("testdata", "drift_test.txtar"),
		"drift_test.go generated for a small hostile document; go test ./gen/drifttest -run TestGolden -update\n",
		[]txtar.File{{Name: FileName, Data: got}})
}

// TestRenderIsFormatted: render writes gofmt's form of the file itself
// (it does not run go/format), for the default, hostile, small and large
// documents and with a package name of another length.
func TestRenderIsFormatted(t *testing.T) {
	for name, doc := range map[string]*spec.Document{
		"default":        gentest.Default(t),
		"hostile":        hostileDoc(),
		"hostile texts":  gentest.WithHostile(gentest.Small()),
		"small":          gentest.Small(),
		"rows=5000":      gentest.Big(5000),
		"empty document": {Source: "empty.md", SHA256: "00", Languages: []string{"en"}},
	} {
		for _, dir := range []string{"ports", "generated/p"} {
			t.Run(name+"/"+dir, func(t *testing.T) {
				got := generate(t, doc, dir)
				want, err := format.Source(got)
				if err != nil {
					t.Fatalf("drift_test.go does not format: %v", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("drift_test.go is not gofmt-formatted (-gofmt +got):\n%s", cmp.Diff(string(want), string(got)))
				}
			})
		}
	}
}
