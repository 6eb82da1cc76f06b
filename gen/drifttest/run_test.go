package drifttest

// Tests of the generated test: drift_test.go files are written into a
// temporary downstream module (with a replace to this checkout), compiled
// with `go test -c`, and the test binary is run against the embedded
// default, a file, an httptest server serving a changed document, and an
// unreachable URL, offline (internal/tempmod).

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/tempmod"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// downstream is a temporary module holding generated packages.
type downstream struct {
	t *testing.T
	*tempmod.Module
}

func newDownstream(t *testing.T) *downstream {
	t.Helper()
	if testing.Short() {
		t.Skip("compiles generated tests: not with -short")
	}
	m := tempmod.New(t, "example.com/downstream")
	m.RequirePortspec("github.com/portspec/portspec/compare", "github.com/portspec/portspec/parser", "github.com/portspec/portspec/spec")
	return &downstream{t, m}
}

// pkg writes drift_test.go generated from doc into folder name, with a
// one-line package beside it, and compiles the test binary.
func (m *downstream) pkg(name string, doc *spec.Document) string {
	m.t.Helper()
	return m.pkgOf(name, gen.Request{Doc: doc, Dir: name})
}

// pkgOf is pkg for a whole request (an overlay, the upstream document).
func (m *downstream) pkgOf(name string, req gen.Request) string {
	m.t.Helper()
	out, err := New().Generate(req)
	if err != nil {
		m.t.Fatal(err)
	}
	m.WriteFile(name+"/"+FileName, string(out.Files[0].Data))
	m.WriteFile(name+"/doc.go", "// Package "+name+" stands for a generated Go package.\npackage "+name+"\n")
	bin := filepath.Join(m.Dir, name+".test")
	m.Go("test", "-c", "-o", bin, "./"+name)
	return bin
}

// runBin runs a compiled drift test in its package's folder with extra
// environment, returning whether it passed and its output.
func (m *downstream) runBin(bin, pkgDir string, env ...string) (bool, string) {
	m.t.Helper()
	cmd := exec.Command(bin, "-test.run", "^TestDrift$", "-test.v")
	cmd.Dir = filepath.Join(m.Dir, pkgDir)
	cmd.Env = append(cleanEnv(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		m.t.Fatalf("running %s: %v", bin, err)
	}
	return err == nil, out.String()
}

// cleanEnv is the environment without the drift variables of the caller.
func cleanEnv() []string {
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, EnvSource+"=") && !strings.HasPrefix(e, EnvAllowHTTP+"=") && !strings.HasPrefix(e, EnvAllowPartial+"=") {
			env = append(env, e)
		}
	}
	return env
}

func parseDefault(t *testing.T, src []byte) *spec.Document {
	t.Helper()
	doc, err := parser.Parse(spec.DefaultName, src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestGeneratedDriftTest(t *testing.T) {
	m := newDownstream(t)
	bin := m.pkg("ports", parseDefault(t, spec.Default()))

	// The embedded default, unchanged: passes, offline.
	if ok, out := m.runBin(bin, "ports"); !ok {
		t.Errorf("default source: want PASS, got:\n%s", out)
	}

	// A file with the same document: passes.
	same := filepath.Join(t.TempDir(), "same.md")
	if err := os.WriteFile(same, spec.Default(), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, out := m.runBin(bin, "ports", EnvSource+"="+same); !ok {
		t.Errorf("same document from a file: want PASS, got:\n%s", out)
	}

	// An httptest server serving a changed document: fails naming it.
	changed := strings.Replace(string(spec.Default()), "4234 | UDP |", "4299 | UDP |", 1)
	if changed == string(spec.Default()) {
		t.Fatal("the default document has no \"4234 | UDP |\" row to change")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(changed))
	}))
	defer srv.Close()
	url := srv.URL + "/network-interaction.md"
	ok, out := m.runBin(bin, "ports", EnvSource+"="+url, EnvAllowHTTP+"=1")
	if ok {
		t.Errorf("changed document over http: want FAIL, got PASS:\n%s", out)
	}
	line := 1 + strings.Count(changed[:strings.Index(changed, "4299 | UDP |")], "\n")
	for _, want := range []string{
		"moved 4234/UDP → 4299/UDP",
		"NodesToMasters (node → master, ingress)",
		url + ":" + strconv.Itoa(line) + ":",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}

	// Unreachable: an error saying so, never "no drift" (and never PASS).
	ok, out = m.runBin(bin, "ports", EnvSource+"=http://127.0.0.1:1/ports.md", EnvAllowHTTP+"=1")
	if ok || !strings.Contains(out, "drift NOT checked: cannot read the current document http://127.0.0.1:1/ports.md") {
		t.Errorf("unreachable source: want FAIL with a read error, got ok=%v:\n%s", ok, out)
	}
	// http without the opt-in is refused.
	ok, out = m.runBin(bin, "ports", EnvSource+"="+url)
	if ok || !strings.Contains(out, "use https") {
		t.Errorf("plain http without %s: want FAIL refusing it, got ok=%v:\n%s", EnvAllowHTTP, ok, out)
	}
}

// TestGeneratedDriftTestStale: the package was generated from a default
// that differs from the embedded one (as when spec/default/ is edited and
// nobody regenerates): the test fails with the change, offline.
func TestGeneratedDriftTestStale(t *testing.T) {
	m := newDownstream(t)
	edited := strings.Replace(string(spec.Default()), "10250 | TCP | kubelet", "10250 | TCP | kubelet\n10255 | TCP | kubelet read-only", 1)
	if edited == string(spec.Default()) {
		t.Fatal("the default document has no kubelet row to edit")
	}
	// The snapshot holds the edited document under the default's name: the
	// embedded default read at test time lacks 10255.
	bin := m.pkg("ports", parseDefault(t, []byte(edited)))
	ok, out := m.runBin(bin, "ports")
	if ok || !strings.Contains(out, "removed 10255/TCP") || !strings.Contains(out, "regenerate") {
		t.Errorf("stale snapshot: want FAIL naming 10255, got ok=%v:\n%s", ok, out)
	}
	// A package generated from a file named relative to the module's root
	// finds it from its own folder, and drifts when the file changes.
	fromFile, err := parser.Parse("docs/ports.md", spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m.WriteFile("docs/ports.md", string(spec.Default()))
	bin = m.pkg("fileports", fromFile)
	if ok, out := m.runBin(bin, "fileports"); !ok {
		t.Errorf("relative file source: want PASS, got:\n%s", out)
	}
	m.WriteFile("docs/ports.md", edited)
	if ok, out := m.runBin(bin, "fileports"); ok || !strings.Contains(out, "added 10255/TCP") {
		t.Errorf("relative file source, edited: want FAIL naming 10255, got ok=%v:\n%s", ok, out)
	}

	// A hostile document's snapshot (quotes, backquotes, "*/", a newline in
	// the source name) compiles.
	m.pkg("hostile", hostileDoc())
}
