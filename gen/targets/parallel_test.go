package targets

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestTargetsRunAtOnce: the driver runs the targets of a small document at
// the same time. The plan must be the one of a run one target at a time,
// byte for byte, with this repository's config on the default document and
// on hostile text; `make race` runs this test under the race detector, which
// fails on any state two targets share and write.
func TestTargetsRunAtOnce(t *testing.T) {
	cfg, jobs, table := repoConfig(t)
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range map[string]*spec.Document{"default": doc, "hostile": gentest.WithHostile(gentest.Newest(t)), "big": gentest.Big(2000)} {
		run := func(workers int) *driver.Plan {
			p, err := driver.Run(d, jobs, driver.Inputs{Idents: cfg.Idents, Clients: table, Workers: workers})
			if err != nil {
				t.Fatalf("%s, %d at once: %v", name, workers, err)
			}
			return p
		}
		one, all := run(1), run(len(jobs))
		if len(one.Files) == 0 {
			t.Fatalf("%s: no files", name)
		}
		if diff := cmp.Diff(one, all); diff != "" {
			t.Errorf("%s: the targets at once made another plan (-one at a time +at once):\n%s", name, diff)
		}
	}
}
