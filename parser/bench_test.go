package parser_test

import (
	"io"
	"testing"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// Benchmarks, not timed tests: go test -run '^$' -bench . -benchmem ./parser
// The README's Performance section reports their figures. The target is
// BenchmarkParseJSON ≤ 0.8× BenchmarkGoldmarkBaseline on 100k rows, in time
// and in memory.

var benchInputs = []struct {
	name string
	src  func() []byte
}{
	{"seed", func() []byte { return spec.Default }},
	{"100k", func() []byte { return generateDoc(100_000) }},
}

// BenchmarkParse: the whole parse into the validated model.
func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs {
		src := in.src()
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parser.Parse(in.name, src, parser.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseJSON: the parse plus the JSON output, as `portspec parse
// --format json` does it (spec.Document.WriteJSON, the bytes of MarshalJSON).
func BenchmarkParseJSON(b *testing.B) {
	for _, in := range benchInputs {
		src := in.src()
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				doc, err := parser.Parse(in.name, src, parser.Options{})
				if err != nil {
					b.Fatal(err)
				}
				if err := doc.WriteJSON(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGoldmarkBaseline: goldmark with its default parsers and the table
// extension parsing the same bytes, and nothing more.
func BenchmarkGoldmarkBaseline(b *testing.B) {
	for _, in := range benchInputs {
		src := in.src()
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			md := goldmark.New(goldmark.WithExtensions(extension.Table))
			for b.Loop() {
				md.Parser().Parse(text.NewReader(src))
			}
		})
	}
}
