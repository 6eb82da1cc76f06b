package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// TestDownstream does what docs/go-package.md ("In your own repository")
// tells a user to do, for real and offline: in a new module (replace →
// this checkout), `go get -tool`, a `//go:generate go tool portspec
// generate` line, `go generate`, `go build`, and a program that prints
// ports.Kubelet. It takes seconds
// (the build cache is shared with this module's own build), so it is not
// opt-in; it needs the module cache that building portspec fills.
func TestDownstream(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: builds portspec in a new module")
	}
	root := upstream.RepoRoot()
	if root == "" {
		t.Fatal("repository root not found")
	}
	dir := t.TempDir()
	env := append(os.Environ(),
		"GOFLAGS=-mod=mod", // resolve from go.mod, writing go.sum
		"GOPROXY=off",      // offline: the module cache only
		"GOWORK=off",
	)
	goCmd := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
		return out.String()
	}
	goCmd("mod", "init", "example.com/downstream")
	goCmd("mod", "edit", "-replace", "github.com/portspec/portspec="+root)
	// This checkout's go.sum has the checksums of every module portspec
	// needs, so nothing is asked of a checksum database.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644)
	goCmd("get", "-tool", "github.com/portspec/portspec/cmd/portspec")

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
	os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644)
	goCmd("generate", "./...")
	goCmd("build", "-o", "app", ".")
	goCmd("tool", "portspec", "generate", "--check")

	out, err := exec.Command(filepath.Join(dir, "app")).CombinedOutput()
	if err != nil {
		t.Fatalf("app: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "10250 true" {
		t.Errorf("app printed %q, want %q", got, "10250 true")
	}
}
