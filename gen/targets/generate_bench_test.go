package targets

import (
	"fmt"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/internal/gentest"
)

// BenchmarkGenerate times each target alone (model in, files in memory
// out) on documents of 1,000, 10,000 and 100,000 rows (gentest.Big): 10x
// the rows should cost each target at most 12x. The 100,000-row runs take
// seconds each: docs/performance.md runs them with -benchtime 1x.
func BenchmarkGenerate(b *testing.B) {
	for _, t := range All() {
		g := t.Gen
		for _, n := range []int{1000, 10000, 100000} {
			b.Run(fmt.Sprintf("%s/rows=%d", g.Name(), n), func(b *testing.B) {
				doc := gentest.Big(n)
				req := gen.Request{Doc: doc, Dir: "ports", Options: targetOptions(g), Clients: clients.New(nil)}
				b.ReportAllocs()
				b.ResetTimer()
				size := 0
				for b.Loop() {
					out, err := g.Generate(req)
					if err != nil {
						b.Fatal(err)
					}
					size = 0
					for _, f := range out.Files {
						size += len(f.Data)
					}
				}
				b.ReportMetric(float64(size), "bytes-out")
			})
		}
	}
}
