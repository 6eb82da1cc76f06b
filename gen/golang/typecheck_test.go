package golang

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
)

// checker type-checks generated packages in process with go/types. One
// checker shares its importer (and so the standard library it has read)
// across calls, which keeps the fuzz test fast.
type checker struct {
	fset *token.FileSet
	imp  types.Importer
}

func newChecker() *checker {
	fset := token.NewFileSet()
	return &checker{fset: fset, imp: importer.ForCompiler(fset, "source", nil)}
}

// check parses and type-checks the files of one output (the package and
// its internal tests together) and returns the parsed files.
func (c *checker) check(t testing.TB, out *gen.Output) map[string]*ast.File {
	t.Helper()
	files := map[string]*ast.File{}
	var list []*ast.File
	names := make([]string, 0, len(out.Files))
	for _, f := range out.Files {
		names = append(names, f.Path)
	}
	sort.Strings(names)
	for _, name := range names {
		var data []byte
		for _, f := range out.Files {
			if f.Path == name {
				data = f.Data
			}
		}
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		if !gen.IsGenerated(data) {
			t.Errorf("%s: no portspec header on the first line", name)
		}
		af, err := parser.ParseFile(c.fset, name, data, parser.ParseComments)
		if err != nil {
			t.Fatalf("%s does not parse: %v\n%s", name, err, data)
		}
		files[name] = af
		list = append(list, af)
	}
	conf := types.Config{Importer: c.imp}
	if _, err := conf.Check("ports", c.fset, list, nil); err != nil {
		t.Fatalf("generated package does not type-check: %v", err)
	}
	return files
}
