package cilium_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/parser"
)

var update = flag.Bool("update", false, "rewrite testdata/*.txtar from the current output")

// TestGolden compares the whole output for the default document (files and
// warnings) with testdata/default.txtar.
func TestGolden(t *testing.T) {
	doc, err := parser.Load(context.Background(), "", parser.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: "cilium"})
	if err != nil {
		t.Fatal(err)
	}
	got := &txtar.Archive{Comment: []byte("Output of the cilium target for the embedded default document. Regenerate with go test -update.\n")}
	for _, f := range out.Files {
		got.Files = append(got.Files, txtar.File{Name: f.Path, Data: f.Data})
	}
	got.Files = append(got.Files, txtar.File{Name: "WARNINGS", Data: []byte(strings.Join(out.Warnings, "\n") + "\n")})
	path := filepath.Join("testdata", "default.txtar")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, txtar.Format(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(txtar.Format(want)), string(txtar.Format(got))); diff != "" {
		t.Errorf("output differs from %s (-want +got):\n%s", path, diff)
	}
}
