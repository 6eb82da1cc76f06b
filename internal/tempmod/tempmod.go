// Package tempmod makes throwaway Go modules for tests that compile and run
// what portspec generates, as a downstream repository would: the Go
// package's examples, the generated drift test, `go get -tool` of the CLI.
//
// Every command runs offline (GOPROXY=off, GOWORK=off, GOTOOLCHAIN=local,
// GOFLAGS=-mod=mod) with the toolchain the test runs under, so it uses only
// the module cache and build cache of this checkout. A module that requires
// portspec needs more of the cache than this checkout's own `go test` fills
// (the go.mod files of every module in portspec's graph, the requirements
// of old dependencies such as gopkg.in/check.v1 too): `go mod download` in
// the repository fetches them, and scripts/deps.sh (make test) runs it.
// RequirePortspec checks up front that the cache holds them; when it does
// not, the test is skipped with a message saying so (and fails under
// CI=true), instead of failing with "module lookup disabled by
// GOPROXY=off" midway.
package tempmod

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// Module is a Go module in a temporary folder.
type Module struct {
	t   testing.TB
	Dir string
	env []string
	gob string
}

// New makes an empty module named path ("example.com/downstream") in a
// temporary folder removed when the test ends.
func New(t testing.TB, path string) *Module {
	t.Helper()
	gob := goCommand()
	if _, err := exec.LookPath(gob); err != nil {
		upstream.Missing(t, "the go command: "+err.Error())
	}
	m := &Module{t: t, Dir: t.TempDir(), gob: gob}
	m.env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	m.WriteFile("go.mod", "module "+path+"\n\ngo 1.26\n")
	return m
}

// RequirePortspec makes the module require github.com/portspec/portspec,
// replaced by this checkout, with this checkout's go.sum, so that no
// checksum database is asked. It then checks, offline, that the module
// cache can resolve the module's graph and the packages named (those the
// test will build, with everything they import): when it cannot, the test
// is skipped, or fails under CI=true, saying what is missing and that `go
// mod download` (scripts/deps.sh) fetches it.
func (m *Module) RequirePortspec(pkgs ...string) {
	m.t.Helper()
	root := upstream.RepoRoot()
	if root == "" {
		m.t.Fatal("tempmod: cannot find the repository root (go.mod of github.com/portspec/portspec)")
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		m.t.Fatal(err)
	}
	m.Go("mod", "edit", "-require", "github.com/portspec/portspec@v0.0.0", "-replace", "github.com/portspec/portspec="+root)
	m.WriteFile("go.sum", string(sum))
	// Every module of the graph, each with its error when the cache cannot
	// resolve it (-e lists them all instead of stopping at the first).
	out := m.Go("list", "-m", "-e", "-f", "{{if .Error}}{{.Path}}@{{.Version}}: {{.Error.Err}}{{end}}", "all")
	if strings.TrimSpace(out) != "" {
		m.cacheMiss("go list -m all", out)
	}
	if len(pkgs) > 0 {
		m.Go(append([]string{"list", "-deps"}, pkgs...)...)
	}
}

// offline reports whether go's output says that it needed a module the
// cache lacks.
func offline(out string) bool {
	return strings.Contains(out, "GOPROXY=off") || strings.Contains(out, "missing go.sum entry")
}

// cacheMiss reports a module cache that lacks what the module needs: a
// missing prerequisite (skipped outside CI, failed under CI=true), not a
// failure of the code under test.
func (m *Module) cacheMiss(what, out string) {
	m.t.Helper()
	upstream.Missing(m.t, "the module cache lacks what a module requiring portspec needs; run `go mod download` in the repository "+
		"(scripts/deps.sh, which make test runs, does). "+what+" said:\n"+firstLines(out, 8))
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(strings.TrimSpace(s), "\n", n+1)
	if len(lines) > n {
		lines[n] = "…"
	}
	return strings.Join(lines, "\n")
}

// WriteFile writes data to a slash-separated path inside the module,
// making its folders.
func (m *Module) WriteFile(rel, data string) {
	m.t.Helper()
	p := filepath.Join(m.Dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		m.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		m.t.Fatal(err)
	}
}

// Go runs the go command in the module and returns its output; a failure
// fails the test with that output, unless it is the module cache that
// lacks something (then it is a missing prerequisite, as in
// RequirePortspec).
func (m *Module) Go(args ...string) string {
	m.t.Helper()
	out, err := m.run(args...)
	if err != nil && offline(out) {
		m.cacheMiss("go "+strings.Join(args, " "), out)
	}
	if err != nil {
		m.t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), m.Dir, err, out)
	}
	return out
}

func (m *Module) run(args ...string) (string, error) {
	cmd := exec.Command(m.gob, args...)
	cmd.Dir, cmd.Env = m.Dir, m.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// goCommand is the go command of the toolchain the test runs under: go test
// puts its GOROOT/bin first on the PATH of the test binary (Go 1.19 release
// notes), so the first go on PATH is it.
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "go"
}
