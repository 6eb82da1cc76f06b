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
// docs/performance.md reports their figures. The target is
// BenchmarkParseJSON ≤ 0.8× BenchmarkGoldmarkBaseline on 100k rows, in time
// and in memory.

// benchEach runs op on the seed's tables and on a generated 100,000-row
// document (generated here, never committed).
func benchEach(b *testing.B, op func(name string, src []byte) error) {
	for _, in := range []struct {
		name string
		src  func() []byte
	}{
		{"seed", spec.Default},
		{"100k", func() []byte { return generateDoc(100_000) }},
	} {
		src := in.src()
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if err := op(in.name, src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParse: the whole parse into the validated model.
func BenchmarkParse(b *testing.B) {
	benchEach(b, func(name string, src []byte) error {
		_, err := parser.Parse(name, src, parser.Options{})
		return err
	})
}

// BenchmarkParseJSON: the parse plus the JSON output, as `portspec parse
// --format json` does it (spec.Document.WriteJSON, the bytes of MarshalJSON).
func BenchmarkParseJSON(b *testing.B) {
	benchEach(b, func(name string, src []byte) error {
		doc, err := parser.Parse(name, src, parser.Options{})
		if err != nil {
			return err
		}
		return doc.WriteJSON(io.Discard)
	})
}

// BenchmarkGoldmarkBaseline: goldmark with its default parsers and the table
// extension parsing the same bytes, and nothing more.
func BenchmarkGoldmarkBaseline(b *testing.B) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	benchEach(b, func(_ string, src []byte) error {
		md.Parser().Parse(text.NewReader(src))
		return nil
	})
}
