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

// GoRun runs a pinned tool (Pinned's answer) with `go run` in dir, offline,
// and returns its combined output and error. Offline is the module cache
// as the only proxy (GOPROXY=file://…/cache/download: `go run PKG@VERSION`
// asks a proxy even for a cached module, which GOPROXY=off refuses);
// `make tools` has downloaded and built the tools. A tool that is not in
// the module cache is a missing prerequisite: a skip outside CI, a failure
// under CI=true.
func GoRun(tb testing.TB, dir string, env []string, timeout time.Duration, pkg string, args ...string) (string, error) {
	tb.Helper()
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		upstream.Missing(tb, "go env GOMODCACHE: "+err.Error())
	}
	proxy := "file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(modcache)), "cache", "download"))
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"run", pkg}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOPROXY="+proxy, "GOTOOLCHAIN=local")
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	text := strings.TrimSpace(out.String())
	if err != nil && strings.HasPrefix(text, "go: ") && strings.Contains(text, proxy) {
		upstream.Missing(tb, pkg+" is not in the module cache: run `make tools` (it downloads and builds the pinned tools)\n"+text)
	}
	return text, err
}
