// Package upstream finds the real inputs (../shared/upstream beside the
// repository) for tests, and decides what a test does when a prerequisite is
// missing: skip with a message on a developer's machine, fail under CI=true.
package upstream

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// EnvDir names an environment variable that overrides where the upstream
// inputs are.
const EnvDir = "PORTSPEC_UPSTREAM"

// RepoRoot returns the directory holding the main module's go.mod, found by
// walking up from the working directory, or "".
func RepoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && isMainModule(b) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func isMainModule(gomod []byte) bool {
	const want = "module github.com/portspec/portspec\n"
	return len(gomod) >= len(want) && string(gomod[:len(want)]) == want
}

// Dir returns the upstream inputs folder. When it is absent the test is
// skipped with a message, or fails under CI=true.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv(EnvDir)
	if dir == "" {
		root := RepoRoot()
		if root == "" {
			Missing(tb, "cannot find the repository root (go.mod of github.com/portspec/portspec)")
		}
		dir = filepath.Join(root, "..", "shared", "upstream")
	}
	if fi, err := os.Stat(filepath.Join(dir, "README.md")); err != nil || fi.IsDir() {
		Missing(tb, "upstream inputs not found at "+dir+" (set "+EnvDir+")")
	}
	return dir
}

// Path returns a file or folder under the upstream inputs.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	return filepath.Join(Dir(tb), filepath.FromSlash(rel))
}

// Glob returns the sorted matches of a pattern under the upstream inputs,
// failing the test when nothing matches.
func Glob(tb testing.TB, pattern string) []string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(Dir(tb), filepath.FromSlash(pattern)))
	if err != nil || len(m) == 0 {
		tb.Fatalf("upstream: nothing matches %s (err %v)", pattern, err)
	}
	sort.Strings(m)
	return m
}

// Missing reports a missing prerequisite: tb.Skip outside CI, tb.Fatal
// under CI=true, where a skipped check must not pass as green.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if InCI() {
		tb.Fatalf("prerequisite missing under CI=true: %s", why)
	}
	tb.Skipf("skipped: %s (this is a failure under CI=true)", why)
}

// InCI reports whether the tests run in CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }
