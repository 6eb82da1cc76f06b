package gentest

import (
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/golden"
)

// Golden compares generated files with the txtar archive at path (with
// -update: rewrites it) through golden.Check. It lives here, not in
// internal/golden, because gen's own tests use internal/golden and so it
// may not import gen.
func Golden(tb testing.TB, path string, files []gen.File) {
	tb.Helper()
	golden.Check(tb, path, "Generated files; rewrite with go test -update.\n", Txtar(files))
}

// Txtar turns generated files into archive files, named by their paths.
func Txtar(files []gen.File) []txtar.File {
	out := make([]txtar.File, len(files))
	for i, f := range files {
		out[i] = txtar.File{Name: f.Path, Data: f.Data}
	}
	return out
}

// GoldenOutput is Golden over a generator's whole output: its files and, as
// a last file WARNINGS, its warnings one per line.
func GoldenOutput(tb testing.TB, path string, out *gen.Output) {
	tb.Helper()
	warnings := gen.File{Path: "WARNINGS", Data: []byte(strings.Join(out.Warnings, "\n") + "\n")}
	Golden(tb, path, append(slices.Clip(out.Files), warnings))
}
