package layout

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

const module = "github.com/portspec/portspec"

// imports returns, per package folder of the main module (slash-separated,
// relative to the root), what its non-test files import. It reads the files
// itself (not through go list), so that go test's cache sees them.
func imports(t *testing.T) map[string][]string {
	t.Helper()
	root := upstream.RepoRoot()
	out := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			// Nested modules and test data are not the main module's code.
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || fileExists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			out[dir] = append(out[dir], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// targetPackages are the folders of the output targets.
var targetPackages = []string{"gen/golang", "gen/drifttest", "gen/cilium", "gen/kubernetes", "gen/ansible", "gen/nftables", "gen/report"}

// notForTargets are the packages of portspec that no target imports: the
// stages around the targets, and gen/report/changes (which reads the
// comparison, so that a target importing it would too).
func notForTargets() []string {
	return []string{"parser", "gen/config", "gen/driver", "gen/targets", "compare", "gen/report/changes"}
}

// TestPipelineImports keeps the pipeline's arrows pointing one way
// (STYLE.md): generators never import the parser, the config, the driver,
// the comparison or each other; the model imports nothing of portspec's;
// only the parser imports goldmark and golang.org/x/net/html, only the Go
// target jennifer; only verify/cluster
// imports client-go (the CLI reaches the API through it), and nothing the
// typed clientset k8s.io/client-go/kubernetes, a JSON Schema library nor
// excelize, whose package init would run in every command (tests may
// import them: they read back what portspec writes);
// generated/ports is standard-library only.
func TestPipelineImports(t *testing.T) {
	all := imports(t)
	if len(all["spec"]) == 0 || len(all["gen/cilium"]) == 0 {
		t.Fatalf("found no imports of spec or gen/cilium: the walk is broken (%d folders)", len(all))
	}
	if !slices.ContainsFunc(all["verify/cluster"], func(imp string) bool { return strings.HasPrefix(imp, "k8s.io/client-go") }) {
		t.Errorf("verify/cluster imports no client-go: the rule below checks nothing (%q)", all["verify/cluster"])
	}
	for dir, imps := range all {
		for _, imp := range imps {
			irel, ours := strings.CutPrefix(imp, module+"/")
			switch {
			case slices.Contains(targetPackages, dir) && ours && (slices.Contains(targetPackages, irel) || slices.Contains(notForTargets(), irel)):
				t.Errorf("target %s imports %s: targets read only the model and the target API", dir, irel)
			case dir == "spec" && ours:
				t.Errorf("spec imports %s: the model depends on nothing of portspec's", irel)
			case strings.HasPrefix(imp, "github.com/yuin/goldmark") && !strings.HasPrefix(dir, "parser"):
				t.Errorf("%s imports goldmark: only parser/ does", dir)
			case (imp == "golang.org/x/net/html" || strings.HasPrefix(imp, "golang.org/x/net/html/")) && !strings.HasPrefix(dir, "parser"):
				t.Errorf("%s imports golang.org/x/net/html: only parser/ does", dir)
			case strings.HasPrefix(imp, "github.com/dave/jennifer") && dir != "gen/golang":
				t.Errorf("%s imports jennifer: only gen/golang does", dir)
			case strings.HasPrefix(imp, "github.com/santhosh-tekuri/jsonschema"), strings.HasPrefix(imp, "github.com/xuri/"), imp == "k8s.io/client-go/kubernetes" || strings.HasPrefix(imp, "k8s.io/client-go/kubernetes/"):
				t.Errorf("%s imports %s: its package init runs in every portspec process (issue 16: start-up); tests may import it", dir, imp)
			case strings.HasPrefix(imp, "k8s.io/client-go") && dir != "verify/cluster":
				t.Errorf("%s imports %s: only verify/cluster imports client-go", dir, imp)
			case dir == "generated/ports" && strings.Contains(strings.Split(imp, "/")[0], "."):
				t.Errorf("generated/ports imports %s: it must stay standard-library only", imp)
			}
		}
	}
}
