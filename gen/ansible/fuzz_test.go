package ansible

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// FuzzDocumentText: whatever a purpose or the source name holds, the vars
// file is one YAML document of the same shape, its bytes are those of
// yaml.v3 encoding the vars as one document, and both read back as the
// text the generator meant.
func FuzzDocumentText(f *testing.F) {
	f.Add("\xff\xfe invalid", "src\xc3")
	plain := shape(decodeOne(f, generate(f, gentest.Small(), "")))
	gentest.FuzzText(f, func(t *testing.T, doc *spec.Document, purpose, source string) {
		data := generate(t, doc, "")
		vars := varsOf(t, doc)
		if got, want := mustMarshal(t, Marshal, doc, vars), mustMarshal(t, marshalWhole, doc, vars); !bytes.Equal(got, want) {
			t.Fatalf("Marshal differs from yaml.v3's one document (-want +got):\n%s", cmp.Diff(string(want), string(got)))
		}
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

func mustMarshal(t *testing.T, marshal func(*spec.Document, *Vars) ([]byte, error), doc *spec.Document, v *Vars) []byte {
	t.Helper()
	b, err := marshal(doc, v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
