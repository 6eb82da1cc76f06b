// Package prereq decides what an e2e test does when something it needs is
// absent: skip with a message on a developer's machine, fail under CI=true.
// (The main module's internal/upstream does the same, but internal packages
// cannot be imported from another module.)
package prereq

import (
	"os"
	"path/filepath"
	"testing"
)

// Missing skips the test, or fails it under CI=true.
func Missing(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		tb.Fatalf("prerequisite missing under CI=true: %s", why)
	}
	tb.Skipf("skipped: %s (this is a failure under CI=true)", why)
}

// Upstream returns a file under ../shared/upstream beside the repository
// (or under $PORTSPEC_UPSTREAM), or reports it missing.
func Upstream(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("PORTSPEC_UPSTREAM")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "upstream")
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		Missing(tb, "upstream input "+p+" not found (set PORTSPEC_UPSTREAM)")
	}
	return p
}
