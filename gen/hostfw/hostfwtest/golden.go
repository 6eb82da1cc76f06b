package hostfwtest

import (
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/portspec/portspec/gen"
)

var update = flag.Bool("update", false, "rewrite the golden txtar files")

// Golden compares files with the txtar archive at path (with -update:
// rewrites it), printing cmp.Diff (-want +got) per file.
func Golden(tb testing.TB, path string, files []gen.File) {
	tb.Helper()
	got := &txtar.Archive{Comment: []byte("Generated files; rewrite with go test -update.\n")}
	for _, f := range files {
		got.Files = append(got.Files, txtar.File{Name: f.Path, Data: f.Data})
	}
	if *update {
		if err := os.WriteFile(path, txtar.Format(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	want := txtar.Parse(raw)
	names := func(a *txtar.Archive) []string {
		var n []string
		for _, f := range a.Files {
			n = append(n, f.Name)
		}
		return n
	}
	if d := cmp.Diff(names(want), names(got)); d != "" {
		tb.Errorf("%s: files differ (-want +got):\n%s", path, d)
	}
	for i := range min(len(want.Files), len(got.Files)) {
		if d := cmp.Diff(string(want.Files[i].Data), string(got.Files[i].Data)); d != "" {
			tb.Errorf("%s: %s differs (-want +got):\n%s", path, got.Files[i].Name, d)
		}
	}
}
