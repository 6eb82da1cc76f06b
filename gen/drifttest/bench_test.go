package drifttest

import (
	"fmt"
	"go/format"
	"testing"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// BenchmarkRender compares the target's rendering with the go/format pass
// it no longer makes ("+gofmt"), in one run.
func BenchmarkRender(b *testing.B) {
	docs := []struct {
		name string
		doc  *spec.Document
	}{{"default", gentest.Default(b)}, {"rows=10000", gentest.Big(10000)}}
	for _, d := range docs {
		for _, gofmt := range []bool{false, true} {
			b.Run(fmt.Sprintf("%s/gofmt=%v", d.name, gofmt), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					src, err := render(d.doc, nil, "ports")
					if err != nil {
						b.Fatal(err)
					}
					if gofmt {
						if _, err := format.Source(src); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
