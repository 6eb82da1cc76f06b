package targets

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestTargetsDoNotModifyTheDocument: every target gets the same document
// (gen.Request.Doc is read-only), so none may change it. Each target runs,
// with this repository's options, on a document parsed for it alone, which
// must still equal a second parse of the same bytes afterwards.
func TestTargetsDoNotModifyTheDocument(t *testing.T) {
	cfg, jobs, table := repoConfig(t)
	newest := upstream.Path(t, "data/undated_6e01cad3cf.yml")
	newestSrc, err := os.ReadFile(newest)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{spec.DefaultName: spec.Default(), newest: newestSrc}
	for name, src := range inputs {
		parse := func() *spec.Document {
			d, err := parser.Parse(name, src, parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		for _, j := range jobs {
			doc, want := parse(), parse()
			if _, err := j.Gen.Generate(gen.Request{Doc: doc, Options: j.Options, Dir: j.Dir, Idents: cfg.Idents, Clients: table}); err != nil {
				t.Fatalf("%s on %s: %v", j.Gen.Name(), name, err)
			}
			if diff := cmp.Diff(want, doc); diff != "" {
				t.Errorf("target %s changed the document %s (-before +after):\n%s", j.Gen.Name(), name, diff)
			}
		}
	}
}

// repoConfig is this repository's portspec.yaml, its jobs over every
// target and its clients table.
func repoConfig(t *testing.T) (*config.Config, []config.Job, *clients.Table) {
	t.Helper()
	cfg, err := config.LoadConfig(filepath.Join(upstream.RepoRoot(), config.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	jobs, err := cfg.Jobs(All())
	if err != nil {
		t.Fatal(err)
	}
	table, err := cfg.ClientTable()
	if err != nil {
		t.Fatal(err)
	}
	return cfg, jobs, table
}
