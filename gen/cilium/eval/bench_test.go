package eval_test

import (
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/gen/cilium/eval"
	"github.com/portspec/portspec/internal/gentest"
)

// The benchmarks measure the cilium target and the evaluator on the newest
// data version (92 rows).

func BenchmarkGenerate(b *testing.B) {
	doc := gentest.Newest(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := cilium.New().Generate(gen.Request{Doc: doc}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseAndEvaluate(b *testing.B) {
	out, err := cilium.New().Generate(gen.Request{Doc: gentest.Newest(b)})
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
