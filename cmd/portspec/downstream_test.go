package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/tempmod"
)

// TestDownstream does what docs/go-package.md ("In your own repository")
// tells a user to do, for real and offline: in a new module (replace →
// this checkout), `go get -tool`, a `//go:generate go tool portspec
// generate` line, `go generate`, `go build`, and a program that prints
// ports.Kubelet. It takes seconds
// (the build cache is shared with this module's own build), so it is not
// opt-in; offline, it needs only the modules portspec builds with
// (internal/tempmod).
func TestDownstream(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds portspec in a new module")
	}
	m := tempmod.New(t, "example.com/downstream")
	m.RequirePortspec("github.com/portspec/portspec/cmd/portspec", "github.com/portspec/portspec/generated/ports")
	m.Go("get", "-tool", "github.com/portspec/portspec/cmd/portspec")

	// The directive is spliced in: a line of this file that starts with it
	// would be run by this repository's own `go generate ./...`.
	main := strings.Replace(`package main

DIRECTIVE go tool portspec generate

import (
	"fmt"

	"example.com/downstream/generated/ports"
)

func main() {
	fmt.Println(ports.Kubelet, ports.Allowed(ports.RoleMaster, ports.RoleNode, ports.Kubelet, ports.TCP))
}
`, "DIRECTIVE", "//go:"+"generate", 1)
	m.WriteFile("main.go", main)
	m.Go("generate", "./...")
	m.Go("build", "-o", "app", ".")
	m.Go("tool", "portspec", "generate", "--check")

	out, err := exec.Command(filepath.Join(m.Dir, "app")).CombinedOutput()
	if err != nil {
		t.Fatalf("app: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "10250 true" {
		t.Errorf("app printed %q, want %q", got, "10250 true")
	}
}
