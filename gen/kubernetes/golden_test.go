package kubernetes_test

import (
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/internal/gentest"
)

// TestGolden compares the whole output for the default document (files and
// warnings) with testdata/default.txtar; go test -update rewrites it.
func TestGolden(t *testing.T) {
	out, err := kubernetes.New().Generate(gen.Request{Doc: gentest.Default(t), Dir: "kubernetes"})
	if err != nil {
		t.Fatal(err)
	}
	gentest.GoldenOutput(t, "testdata/default.txtar", out)
}
