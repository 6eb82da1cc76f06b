package cilium_test

import (
	"context"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/parser"
)

// TestGolden compares the whole output for the default document (files and
// warnings) with testdata/default.txtar; go test -update rewrites it.
func TestGolden(t *testing.T) {
	doc, err := parser.Load(context.Background(), "", parser.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: "cilium"})
	if err != nil {
		t.Fatal(err)
	}
	files := append(out.Files, gen.File{Path: "WARNINGS", Data: []byte(strings.Join(out.Warnings, "\n") + "\n")})
	gentest.Golden(t, "testdata/default.txtar", files)
}
