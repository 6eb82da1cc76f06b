package golang

import (
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzGenerate: any document the parser accepts generates Go that
// type-checks, with outside text only in comments and string literals.
func FuzzGenerate(f *testing.F) {
	f.Add(spec.Default)
	f.Add([]byte("## Traffic between nodes\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 80 | TCP | */ `x` //go:generate |\n| 81-90 | UDP | func |\n|  | ICMP | ping |\n"))
	f.Add([]byte("## */ weird heading\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 1 | TCP | Привет |\n| 2 | TCP | Привет |\n| 2 | UDP | Привет |\n"))
	f.Add([]byte("groups:\n- group: NodesToNodes\n  description: {en: x, ru: y}\n  destinations:\n  - ports: \"4218\"\n    protocol: TCP/UDP\n    description: {en: \"a\\nb */\", ru: \"в\"}\n"))
	c := newChecker()
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parser.Parse("fuzz.md", src, parser.Options{})
		if err != nil {
			return
		}
		out, err := New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			t.Fatalf("valid model, generator failed: %v", err)
		}
		c.check(t, out)
		for _, file := range out.Files {
			assertOnlyInCommentsAndStrings(t, file.Path, file.Data)
		}
	})
}
