package layout

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

const module = "github.com/portspec/portspec"

// pkg is what `go list -json` says of one package of the main module.
type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = upstream.RepoRoot()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// targetPackages are the packages of the output targets.
var targetPackages = []string{"golang", "drifttest", "cilium", "kubernetes", "ansible", "nftables"}

func isTarget(path string) bool {
	for _, t := range targetPackages {
		if path == module+"/gen/"+t {
			return true
		}
	}
	return false
}

// TestPipelineImports keeps the pipeline's arrows pointing one way
// (STYLE.md): generators never import the parser, the config, the driver
// or each other; the model imports nothing of portspec's; only the parser
// imports goldmark and only the Go target jennifer; generated/ports is
// standard-library only.
func TestPipelineImports(t *testing.T) {
	for _, p := range listPackages(t) {
		rel := strings.TrimPrefix(p.ImportPath, module+"/")
		for _, imp := range p.Imports {
			irel, ours := strings.CutPrefix(imp, module+"/")
			switch {
			case isTarget(p.ImportPath) && ours && (isTarget(imp) || slices.Contains([]string{"parser", "gen/config", "gen/driver", "gen/targets", "compare"}, irel)):
				t.Errorf("target %s imports %s: targets read only the model and the target API", rel, irel)
			case rel == "spec" && ours:
				t.Errorf("spec imports %s: the model depends on nothing of portspec's", irel)
			case strings.HasPrefix(imp, "github.com/yuin/goldmark") && !strings.HasPrefix(rel, "parser"):
				t.Errorf("%s imports goldmark: only parser/ does", rel)
			case strings.HasPrefix(imp, "github.com/dave/jennifer") && rel != "gen/golang":
				t.Errorf("%s imports jennifer: only gen/golang does", rel)
			}
		}
		if rel == "generated/ports" {
			for _, d := range p.Deps {
				if strings.Contains(strings.Split(d, "/")[0], ".") {
					t.Errorf("generated/ports depends on %s: it must stay standard-library only", d)
				}
			}
		}
	}
}
