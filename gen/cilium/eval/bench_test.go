package eval_test

import (
	"os"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/gen/cilium/eval"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// The benchmarks measure the cilium target and the evaluator on the newest
// data version (92 rows).
func newestDoc(b *testing.B) *spec.Document {
	path := upstream.Path(b, "data/undated_6e01cad3cf.yml")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := parser.Parse(path, src, parser.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

func BenchmarkGenerate(b *testing.B) {
	doc := newestDoc(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cilium.New().Generate(gen.Request{Doc: doc}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAndEvaluate(b *testing.B) {
	out, err := cilium.New().Generate(gen.Request{Doc: newestDoc(b)})
	if err != nil {
		b.Fatal(err)
	}
	files := out.Files
	b.ReportAllocs()
	for b.Loop() {
		var pols []ccnp.Policy
		for _, f := range files {
			ps, err := ccnp.Parse(f.Path, f.Data)
			if err != nil {
				b.Fatal(err)
			}
			pols = append(pols, ps...)
		}
		if _, err := eval.Evaluate(pols, cluster); err != nil {
			b.Fatal(err)
		}
	}
}
