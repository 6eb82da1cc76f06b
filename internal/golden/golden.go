// Package golden is the test support for golden files: whole outputs kept in
// txtar archives, compared with cmp.Diff (-want +got) and rewritten by the
// one -update flag every test binary of the module shares.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden txtar files instead of comparing with them")

// Check compares comment and files with the txtar archive at path: the
// comment, the file names in order, and each file's contents, every
// difference as cmp.Diff (-want +got). With -update it writes the archive
// instead (creating its folder).
//
// Files are compared as a round trip through the archive would give them
// back (txtar adds a final new line to a file that lacks one), so an archive
// just written with -update always passes.
func Check(tb testing.TB, path, comment string, files []txtar.File) {
	tb.Helper()
	got := &txtar.Archive{Comment: []byte(comment), Files: files}
	data := txtar.Format(got)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	want := txtar.Parse(raw)
	got = txtar.Parse(data)
	if d := cmp.Diff(string(want.Comment), string(got.Comment)); d != "" {
		tb.Errorf("%s: comment differs (-want +got):\n%s", path, d)
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

func names(a *txtar.Archive) []string {
	var n []string
	for _, f := range a.Files {
		n = append(n, f.Name)
	}
	return n
}
