package gentest

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// EnvSystem opts into the tests that run real programs as root (Ansible,
// nft, network namespaces). Under CI=true they always run.
const EnvSystem = "PORTSPEC_SYSTEM_TESTS"

// RequireSystem skips a system test unless it is opted into, and reports
// every missing program (and root) as a missing prerequisite: a skip on a
// developer's machine, a failure under CI=true.
func RequireSystem(tb testing.TB, programs ...string) {
	tb.Helper()
	if os.Getenv(EnvSystem) != "1" && !upstream.InCI() {
		tb.Skipf("system test: set %s=1 to run it (it runs as root; CI=true always runs it)", EnvSystem)
	}
	if os.Geteuid() != 0 {
		upstream.Missing(tb, "system test needs root (network namespaces, nft)")
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			upstream.Missing(tb, p+" not found: run scripts/deps.sh (apt-get install ansible nftables iproute2 socat ufw firewalld)")
		}
	}
}

// RequireTools is RequireSystem for the tests that run real programs but
// need no root (actionlint, shellcheck, ansible-lint, goreleaser, the
// GitHub Action's script with git and jq): the same opt-in, and every
// missing program a skip outside CI, a failure under CI=true.
func RequireTools(tb testing.TB, programs ...string) {
	tb.Helper()
	if os.Getenv(EnvSystem) != "1" && !upstream.InCI() {
		tb.Skipf("system test: set %s=1 to run it (CI=true always runs it)", EnvSystem)
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			upstream.Missing(tb, p+" not found: run scripts/deps.sh (it installs the Debian packages the tests use)")
		}
	}
}

// Default returns the embedded default document.
func Default(tb testing.TB) *spec.Document {
	tb.Helper()
	doc, err := parser.Load(context.Background(), "", parser.LoadOptions{})
	if err != nil {
		tb.Fatalf("default document: %v", err)
	}
	return doc
}

// Newest returns the newest upstream data version (92 rows), or skips
// (fails under CI=true) when the upstream inputs are absent.
func Newest(tb testing.TB) *spec.Document {
	tb.Helper()
	return parseUpstream(tb, "data/undated_6e01cad3cf.yml")
}

func parseUpstream(tb testing.TB, rel string) *spec.Document {
	tb.Helper()
	path := upstream.Path(tb, rel)
	src, err := os.ReadFile(path)
	if err != nil {
		upstream.Missing(tb, err.Error())
	}
	doc, err := parser.Parse(path, src, parser.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return doc
}

// Seed returns the seed capture of the rendered page, or skips (fails under
// CI=true) when the upstream inputs are absent.
func Seed(tb testing.TB) *spec.Document {
	tb.Helper()
	return parseUpstream(tb, "seed/000_9b596b334cd8af9c.txt")
}
