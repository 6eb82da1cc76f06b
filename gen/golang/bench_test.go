package golang

import (
	"fmt"
	"go/token"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// bigDoc is a valid model of n rows spread over the seven known groups,
// TCP and UDP, every (group, protocol, port) distinct.
func bigDoc(n int) *spec.Document {
	doc := &spec.Document{Source: "big.md", SHA256: "00", Languages: []string{"en"}}
	for _, k := range spec.KnownGroups() {
		doc.Groups = append(doc.Groups, spec.Group{ID: k.ID, Known: true, From: k.From, To: k.To, Direction: k.Direction})
	}
	for i := range n {
		g, k := i%7, i/7
		proto := spec.TCP
		if k%2 == 1 {
			proto = spec.UDP
		}
		port := uint16(1 + k/2)
		doc.Groups[g].Rules = append(doc.Groups[g].Rules, spec.Rule{
			Protocol: proto,
			Ports:    []spec.PortRange{{First: port, Last: port}},
			Purposes: map[string]spec.Purpose{"en": {Text: fmt.Sprintf("service %d metrics", i)}},
			Pos:      token.Position{Filename: "big.md", Line: i + 1, Column: 1},
		})
	}
	return doc
}

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
// out, gofmt included) on the default document and on 100,000 rows.
func BenchmarkGenerate(b *testing.B) {
	b.Run("default", func(b *testing.B) { benchGenerate(b, defaultDoc(b), repoIdents(b)) })
	b.Run("rows=100000", func(b *testing.B) { benchGenerate(b, bigDoc(100000), nil) })
}

// TestBigDocumentTypeChecks makes sure the benchmark's document is valid
// and generates a package that compiles (at a size that keeps it quick).
func TestBigDocumentTypeChecks(t *testing.T) {
	doc := bigDoc(5000)
	if err := spec.Validate(doc); err != nil {
		t.Fatal(err)
	}
	out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
	if err != nil {
		t.Fatal(err)
	}
	newChecker().check(t, out)
}
