// Package tempmod makes throwaway Go modules for tests that compile and run
// what portspec generates, as a downstream repository would: the Go
// package's examples, the generated drift test, `go get -tool` of the CLI.
//
// Every command runs offline (GOPROXY=off, GOWORK=off, GOTOOLCHAIN=local,
// GOFLAGS=-mod=mod) with the toolchain the test runs under, so it uses only
// the module cache and build cache this checkout's own `go test` has filled:
// the modules portspec builds with. A module that needs anything else fails
// with the go command's own message.
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
// checksum database is asked.
func (m *Module) RequirePortspec() {
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
// fails the test with that output.
func (m *Module) Go(args ...string) string {
	m.t.Helper()
	cmd := exec.Command(m.gob, args...)
	cmd.Dir, cmd.Env = m.Dir, m.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		m.t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), m.Dir, err, out.String())
	}
	return out.String()
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
