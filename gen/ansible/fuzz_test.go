package ansible

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// FuzzDocumentText: whatever a purpose or the source name holds, the vars
// file is one YAML document of the same shape, and both read back as the
// text the generator meant.
func FuzzDocumentText(f *testing.F) {
	f.Add("\xff\xfe invalid", "src\xc3")
	plain := shape(decodeOne(f, generate(f, gentest.Small(), "")))
	gentest.FuzzText(f, func(t *testing.T, doc *spec.Document, purpose, source string) {
		data := generate(t, doc, "")
		if d := cmp.Diff(plain, shape(decodeOne(t, data))); d != "" {
			t.Fatalf("structure changed (-plain +fuzzed):\n%s\n%s", d, data)
		}
		var v Vars
		if err := yaml.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		if got, want := string(v.Rules["master"][0].Purpose), gen.OneLine(purpose); got != want {
			t.Errorf("purpose reads back as %q, want %q", got, want)
		}
		if got, want := string(v.Source), gen.OneLine(source); got != want {
			t.Errorf("source reads back as %q, want %q", got, want)
		}
	})
}
