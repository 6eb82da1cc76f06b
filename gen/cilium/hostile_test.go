package cilium

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/spec"
)

// hostile holds everything that could end a YAML scalar, a comment or a
// document, or start a new key, list item, flow collection or document.
const hostile = "a: b # c\n- { d } [e] \"f\" 'g' |\n---\nkind: Secret\r\n\u2028\u0085... &h *i !j %k @l `m` ---"

// withText returns testDoc with every purpose and title replaced.
func withText(text string) *spec.Document {
	d := testDoc()
	for gi := range d.Groups {
		g := &d.Groups[gi]
		g.Titles = map[string]string{"en": text, "ru": text}
		for ri := range g.Rules {
			g.Rules[ri].Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: text, Markdown: text}, "ru": {Text: text, Markdown: text}})
		}
	}
	return d
}

// TestHostileText checks that document text cannot change the structure of
// the output: the policies parsed back from output made with hostile
// purposes and titles equal those made with plain text, except for the
// description string, which must hold the hostile title (made one line).
func TestHostileText(t *testing.T) {
	// "metrics" keeps the per-row cluster peer the same on both sides.
	plain, err := New().Generate(gen.Request{Doc: withText("plain metrics")})
	if err != nil {
		t.Fatal(err)
	}
	evil, err := New().Generate(gen.Request{Doc: withText(hostile + " metrics")})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Files) != len(evil.Files) {
		t.Fatalf("%d files with plain text, %d with hostile text", len(plain.Files), len(evil.Files))
	}
	for i := range plain.Files {
		want, err := ccnp.Parse(plain.Files[i].Path, plain.Files[i].Data)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ccnp.Parse(evil.Files[i].Path, evil.Files[i].Data)
		if err != nil {
			t.Fatalf("hostile text broke %s: %v\n%s", evil.Files[i].Path, err, evil.Files[i].Data)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d objects, want %d", evil.Files[i].Path, len(got), len(want))
		}
		for j := range got {
			// The baseline's policies name no group of the document.
			if !strings.HasPrefix(got[j].Metadata.Name, "portspec-baseline-") && !strings.Contains(got[j].Spec.Description, gen.OneLine(hostile)) {
				t.Errorf("%s: description lost the title text: %q", evil.Files[i].Path, got[j].Spec.Description)
			}
			got[j].Spec.Description, want[j].Spec.Description = "", ""
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: structure changed by hostile text (-plain +hostile):\n%s", evil.Files[i].Path, diff)
		}
		// Outside the object, document text may only appear in comments.
		head, _, _ := strings.Cut(string(evil.Files[i].Data), "\n---\n")
		for _, line := range strings.Split(head, "\n") {
			if !strings.HasPrefix(line, "#") {
				t.Errorf("%s: non-comment line before the object: %q", evil.Files[i].Path, line)
			}
		}
	}
}
