package gentest

import (
	"context"
	"net"
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
	optIn(tb, "it runs as root; ")
	if os.Geteuid() != 0 {
		upstream.Missing(tb, "system test needs root (network namespaces, nft)")
	}
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			upstream.Missing(tb, p+" not found: run scripts/deps.sh (apt-get install ansible nftables iproute2 socat ufw firewalld)")
		}
	}
}

// RequirePrograms is RequireSystem for a system test that runs real
// consumers of the outputs (a browser, a Python reader) without root: it
// skips unless the system tests are opted into, and reports every program
// that is not on PATH as a missing prerequisite, naming install (the
// Debian package scripts/deps.sh installs).
func RequirePrograms(tb testing.TB, install string, programs ...string) {
	tb.Helper()
	optIn(tb, "")
	for _, p := range programs {
		if _, err := exec.LookPath(p); err != nil {
			upstream.Missing(tb, p+" not found: run scripts/deps.sh (apt-get install "+install+")")
		}
	}
}

// RequireTools is RequirePrograms for the tests that run tools (actionlint,
// shellcheck, ansible-lint, goreleaser, the GitHub Action's script with git
// and jq): the same opt-in, and every missing program a skip outside CI, a
// failure under CI=true.
func RequireTools(tb testing.TB, programs ...string) {
	tb.Helper()
	RequirePrograms(tb, "the Debian packages the tests use", programs...)
}

// optIn skips a system test unless EnvSystem=1 or CI=true.
func optIn(tb testing.TB, why string) {
	tb.Helper()
	if os.Getenv(EnvSystem) != "1" && !upstream.InCI() {
		tb.Skipf("system test: set %s=1 to run it (%sCI=true always runs it)", EnvSystem, why)
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
	return parseUpstream(tb, newestRel)
}

// NewestData is Newest parsed under its name in the upstream folder
// ("data/undated_6e01cad3cf.yml"), so that what a golden file pins of it
// does not depend on the machine.
func NewestData(tb testing.TB) *spec.Document {
	tb.Helper()
	return parseUpstreamAs(tb, newestRel, newestRel)
}

// NewestDataRedacted is NewestData with upstream's prose purposes replaced
// by fingerprints (upstream.RedactProse), so that a golden file pins them
// without copying them.
func NewestDataRedacted(tb testing.TB) *spec.Document {
	tb.Helper()
	doc := NewestData(tb)
	upstream.RedactProse(doc)
	return doc
}

const newestRel = "data/undated_6e01cad3cf.yml"

func parseUpstream(tb testing.TB, rel string) *spec.Document {
	tb.Helper()
	return parseUpstreamAs(tb, rel, upstream.Path(tb, rel))
}

// parseUpstreamAs parses an upstream input under the given name.
func parseUpstreamAs(tb testing.TB, rel, name string) *spec.Document {
	tb.Helper()
	path := upstream.Path(tb, rel)
	src, err := os.ReadFile(path)
	if err != nil {
		upstream.Missing(tb, err.Error())
	}
	doc, err := parser.Parse(name, src, parser.Options{})
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return doc
}

// Seed returns the seed capture of the rendered page, or skips (fails under
// CI=true) when the upstream inputs are absent.
func Seed(tb testing.TB) *spec.Document {
	tb.Helper()
	return parseUpstream(tb, "seed/000_9b596b334cd8af9c.txt")
}

// EchoUDP answers every datagram c receives with the same bytes, until c
// is closed: the UDP listener of the network-namespace tests, whose
// probes count an echo as "open".
func EchoUDP(c net.PacketConn) {
	buf := make([]byte, 512)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			return
		}
		c.WriteTo(buf[:n], from)
	}
}
