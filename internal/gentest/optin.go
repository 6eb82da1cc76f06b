package gentest

import (
	"os"
	"os/exec"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// RequireOptIn is RequireSystem for the opt-in tests that need programs but
// not root (kramdown, which turns the rendered pages into HTML as the
// documentation site does): skipped unless EnvSystem=1 or CI=true, and then
// every missing program is a missing prerequisite (a failure under
// CI=true). hint says how to install them.
func RequireOptIn(tb testing.TB, hint string, programs ...string) {
	tb.Helper()
	if os.Getenv(EnvSystem) != "1" && !upstream.InCI() {
		tb.Skipf("opt-in test: set %s=1 to run it (CI=true always runs it)", EnvSystem)
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			upstream.Missing(tb, p+" not found: "+hint)
		}
	}
}
