package targets

import (
	"archive/zip"
	"encoding/csv"

	"bytes"
	"errors"
	"go/ast"
	"go/format"
	"go/importer"
	goparser "go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzGenerateAll is `portspec generate` end to end on any document: a
// document the parser accepts goes through every target with the default
// config, is written by the driver into a fresh root and checked there
// (current), and every output is read back as what it claims to be: the Go
// package type-checks (go/types), the drift test parses, every YAML file
// decodes, every nftables ruleset passes `nft -c` (where nft can run).
// scripts/fuzz.sh runs it for FUZZTIME; its seeds are in
// testdata/fuzz/FuzzGenerateAll and below.
func FuzzGenerateAll(f *testing.F) {
	f.Add(spec.Default())
	f.Add([]byte("groups:\n- group: NodesToNodes\n  description: {en: x}\n  destinations:\n  - ports: \"4218, 7000-7999\"\n    protocol: TCP/UDP\n    description: {en: \"VXLAN a\\nb */ {{ x }}\"}\n"))
	f.Add([]byte("## Traffic between nodes\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 80 | TCP | */ `x` //go:generate |\n| 81-90 | UDP | } flush ruleset |\n|  | ICMP | ping |\n"))
	jobs, err := config.DefaultConfig().Jobs(All())
	if err != nil {
		f.Fatal(err)
	}
	c := newGoChecker()
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := parser.Parse("fuzz.md", src, parser.Options{})
		if err != nil {
			return // not a document: the parser's own fuzz test covers it
		}
		plan, err := driver.Run(doc, jobs, driver.Inputs{})
		if err != nil {
			t.Fatalf("a valid document, the targets failed: %v", err)
		}
		root := t.TempDir()
		if _, err := driver.Sync(root, plan, driver.Write); err != nil {
			t.Fatalf("write: %v", err)
		}
		if rep, err := driver.Sync(root, plan, driver.Check); err != nil || !rep.Current() {
			t.Fatalf("check after write: %v %+v", err, rep)
		}
		var pkg []goFile
		for _, name := range slices.Sorted(func(yield func(string) bool) {
			for k := range plan.Files {
				if !yield(k) {
					return
				}
			}
		}) {
			data := plan.Files[name]
			if !gen.IsGenerated(data) {
				t.Errorf("%s: no portspec header", name)
			}
			switch path := filepath.Join(root, filepath.FromSlash(name)); {
			case strings.HasSuffix(name, "/drift_test.go"):
				if _, err := goparser.ParseFile(token.NewFileSet(), name, data, goparser.SkipObjectResolution); err != nil {
					t.Errorf("%s does not parse: %v", name, err)
				} else if f, err := format.Source(data); err != nil || !bytes.Equal(f, data) {
					// The target writes gofmt's form itself (no go/format pass).
					t.Errorf("%s is not gofmt-formatted (%v)", name, err)
				}
			case strings.HasSuffix(name, ".go"):
				pkg = append(pkg, goFile{name, data})
			case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"):
				checkYAML(t, name, data)
			case strings.HasSuffix(name, ".nft"):
				checkNft(t, path)
			case strings.HasSuffix(name, ".csv"):
				checkCSV(t, name, data)
			case strings.HasSuffix(name, ".html"):
				checkHTML(t, name, data)
			case strings.HasSuffix(name, ".xlsx"):
				checkZip(t, name, data)
			case strings.HasSuffix(name, ".mmd"):
				checkMermaid(t, name, data)
			case strings.HasSuffix(name, ".service"):
				checkUnit(t, name, data)
			default:
				t.Errorf("%s: a file the fuzz test cannot read back", name)
			}
		}
		c.check(t, pkg)
	})
}

type goFile struct {
	name string
	data []byte
}

// goChecker type-checks the generated Go package with go/types, sharing
// one importer (and so the standard library it has read) across inputs.
type goChecker struct {
	mu   sync.Mutex
	fset *token.FileSet
	imp  types.Importer
}

func newGoChecker() *goChecker {
	fset := token.NewFileSet()
	return &goChecker{fset: fset, imp: importer.ForCompiler(fset, "source", nil)}
}

func (c *goChecker) check(t *testing.T, files []goFile) {
	t.Helper()
	if len(files) == 0 {
		t.Fatal("no Go package generated")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []*ast.File
	for _, f := range files {
		af, err := goparser.ParseFile(c.fset, f.name, f.data, goparser.ParseComments)
		if err != nil {
			t.Fatalf("%s does not parse: %v", f.name, err)
		}
		list = append(list, af)
	}
	conf := types.Config{Importer: c.imp}
	if _, err := conf.Check(list[0].Name.Name, c.fset, list, nil); err != nil {
		t.Fatalf("the Go package does not type-check: %v", err)
	}
}

// checkYAML decodes every document of a YAML file.
func checkYAML(t *testing.T, name string, data []byte) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for n := 0; ; n++ {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			if n == 0 {
				t.Errorf("%s: no YAML document", name)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s does not decode: %v\n%s", name, err, data)
		}
	}
}

var nftUsable = sync.OnceValue(func() string {
	nft, err := exec.LookPath("nft")
	if err != nil {
		return ""
	}
	dir, err := os.MkdirTemp("", "portspec-nft-")
	if err != nil {
		return ""
	}
	defer os.RemoveAll(dir)
	probe := filepath.Join(dir, "probe.nft")
	os.WriteFile(probe, []byte("table inet portspec_probe {\n}\n"), 0o644)
	if out, err := exec.Command(nft, "-c", "-f", probe).CombinedOutput(); err != nil {
		println("FuzzGenerateAll: nft -c cannot run here (" + strings.TrimSpace(string(out)) + "): rulesets are not checked")
		return ""
	}
	return nft
})

// checkNft runs `nft -c` on a generated ruleset, where nft can run (it
// needs CAP_NET_ADMIN even to check).
func checkNft(t *testing.T, path string) {
	t.Helper()
	nft := nftUsable()
	if nft == "" {
		return
	}
	if out, err := exec.Command(nft, "-c", "-f", path).CombinedOutput(); err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("nft -c -f %s: %v\n%s\n%s", path, err, out, data)
	}
}

// checkCSV reads a CSV report strictly: after its one header line, every
// record has the header's number of fields.
func checkCSV(t *testing.T, name string, data []byte) {
	t.Helper()
	_, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		t.Errorf("%s: no line after the header", name)
		return
	}
	r := csv.NewReader(bytes.NewReader(body))
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Errorf("%s does not read back as CSV: %v", name, err)
	}
}

// checkHTML parses the page and wants one html element with a body.
func checkHTML(t *testing.T, name string, data []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s does not parse as HTML: %v", name, err)
		return
	}
	bodies := 0
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "body" {
			bodies++
		}
	}
	if bodies != 1 {
		t.Errorf("%s: %d body elements", name, bodies)
	}
}

// checkZip opens the workbook as a ZIP archive and reads every entry.
func checkZip(t *testing.T, name string, data []byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Errorf("%s is not a ZIP archive: %v", name, err)
		return
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			t.Errorf("%s: entry %s: %v", name, f.Name, err)
		}
	}
}

// checkMermaid wants a flowchart after the header comment.
func checkMermaid(t *testing.T, name string, data []byte) {
	t.Helper()
	lines := strings.Split(string(data), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "flowchart") {
		t.Errorf("%s: the line after the header is not a flowchart: %q", name, lines[min(1, len(lines)-1)])
	}
}

// checkUnit wants the systemd unit's sections.
func checkUnit(t *testing.T, name string, data []byte) {
	t.Helper()
	for _, sec := range []string{"[Unit]", "[Service]", "[Install]"} {
		if !bytes.Contains(data, []byte("\n"+sec+"\n")) {
			t.Errorf("%s has no %s section", name, sec)
		}
	}
}
