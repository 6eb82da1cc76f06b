package gentest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/upstream"
)

// Pinned returns the MODULE/PACKAGE@VERSION the Makefile pins for a tool
// run with `go run` (its line `NAME ?= PACKAGE@VERSION`, e.g. ACTIONLINT),
// so that the tests and `make` run one version.
func Pinned(tb testing.TB, name string) string {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(upstream.RepoRoot(), "Makefile"))
	if err != nil {
		tb.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `\s*\?=\s*(\S+@v\S+)\s*$`).FindSubmatch(data)
	if m == nil {
		tb.Fatalf("Makefile: no line %s ?= PACKAGE@VERSION", name)
	}
	return string(m[1])
}

// GoRun runs a pinned tool (Pinned's answer) with `go run` in dir and
// returns its combined output and error. The first run downloads and
// builds the tool; later ones take it from the build cache.
func GoRun(tb testing.TB, dir string, env []string, timeout time.Duration, pkg string, args ...string) (string, error) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"run", pkg}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return strings.TrimSpace(out.String()), err
}
