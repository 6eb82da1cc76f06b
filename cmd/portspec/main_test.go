package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// binDir holds the CLI built once for the tests that run it as a process
// (two runs at once, a run killed midway); removed after the tests.
var binDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

var (
	buildOnce sync.Once
	builtCLI  string
	buildErr  string
)

// cliBinary builds this command into a temporary folder, once per test
// binary, and returns its path.
func cliBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		gob, err := exec.LookPath("go")
		if err != nil {
			buildErr = "the go command: " + err.Error()
			return
		}
		if binDir, err = os.MkdirTemp("", "portspec-cli-"); err != nil {
			buildErr = err.Error()
			return
		}
		bin := filepath.Join(binDir, "portspec")
		cmd := exec.Command(gob, "build", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = "go build: " + err.Error() + "\n" + string(out)
			return
		}
		builtCLI = bin
	})
	if builtCLI == "" {
		upstream.Missing(t, "building the CLI: "+buildErr)
	}
	return builtCLI
}
