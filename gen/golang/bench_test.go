package golang

import (
	"fmt"
	"go/format"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

func benchGenerate(b *testing.B, doc *spec.Document, idents map[string]string) {
	b.ReportAllocs()
	size := 0
	for b.Loop() {
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports", Idents: idents})
		if err != nil {
			b.Fatal(err)
		}
		size = 0
		for _, f := range out.Files {
			size += len(f.Data)
		}
	}
	b.ReportMetric(float64(size), "bytes-out")
}

// BenchmarkGenerate times the Go target alone (model in, files in memory
// out) on the default document and on 100,000 rows. Only example_test.go
// (and, once per process, ports.go's fixed body) still goes through
// jennifer and go/format; rules.go is written as text.
func BenchmarkGenerate(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchGenerate(b, defaultDoc(b), repoIdents(b)) })
	b.Run("rows=100000", func(b *testing.B) { benchGenerate(b, gentest.Big(100000), nil) })
}

// BenchmarkAPIBody is what a process pays once for ports.go's fixed body
// (jennifer and go/format); every Generate after the first reuses it.
func BenchmarkAPIBody(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := renderAPIBody(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEmit is each file of the default document alone.
func BenchmarkEmit(b *testing.B) {
	m, err := build(defaultDoc(b), repoIdents(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []struct {
		name string
		emit func(*model, string) ([]byte, error)
	}{{"ports.go", emitAPI}, {"rules.go", emitRules}, {"example_test.go", emitExamples}} {
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.emit(m, "ports"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("build", func(b *testing.B) {
		b.ReportAllocs()
		doc, idents := defaultDoc(b), repoIdents(b)
		for b.Loop() {
			if _, err := build(doc, idents); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestBigDocumentTypeChecks makes sure the benchmark's document is valid
// and generates a package that compiles (at a size that keeps it quick).
func TestBigDocumentTypeChecks(t *testing.T) {
	doc := gentest.Big(5000)
	if err := spec.Validate(doc); err != nil {
		t.Fatal(err)
	}
	out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
	if err != nil {
		t.Fatal(err)
	}
	newChecker().check(t, out)
}

// BenchmarkGofmtShare puts the target beside go/format of its own output
// (what jennifer's Render ran on every file before rules.go was written as
// text), in one run: what a formatting pass of the output would cost.
func BenchmarkGofmtShare(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		doc := gentest.Big(n)
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("generate/rows=%d", n), func(b *testing.B) { benchGenerate(b, doc, nil) })
		b.Run(fmt.Sprintf("gofmt/rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range out.Files {
					if _, err := format.Source(f.Data); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
