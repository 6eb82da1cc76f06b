package nftables

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// FuzzDocumentText: whatever a purpose or the source name holds, no line
// nft reads changes, and the purpose sits whole on its comment line.
func FuzzDocumentText(f *testing.F) {
	gen1 := func(t testing.TB, doc *spec.Document) []gen.File {
		out, err := New().Generate(gen.Request{Doc: doc, Options: []byte("{" + exampleCIDRs + "}")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Files
	}
	plain := gen1(f, gentest.Small())
	gentest.FuzzText(f, func(t *testing.T, doc *spec.Document, purpose, source string) {
		got := gen1(t, doc)
		for i := range plain {
			if d := cmp.Diff(code(plain[i].Data), code(got[i].Data)); d != "" {
				t.Fatalf("%s: ruleset changed (-plain +fuzzed):\n%s", got[i].Path, d)
			}
		}
		if line := "\t\t# MastersToMasters: " + gen.OneLine(purpose) + "\n"; !strings.Contains(string(got[0].Data), line) {
			t.Errorf("master.nft lacks %q", line)
		}
	})
}
