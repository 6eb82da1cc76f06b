package action

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/gentest"
)

// workflows are the workflow files actionlint checks: this repository's
// and the downstream sample's. Through the workflow that uses ./, it
// checks action.yml's inputs too.
func workflows(t *testing.T) []string {
	t.Helper()
	root := repoRoot(t)
	var files []string
	for _, pattern := range []string{".github/workflows/*.yml", "examples/downstream/.github/workflows/*.yml"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 3 {
		t.Fatalf("want the doc-drift, release and downstream workflows, found %v", files)
	}
	return files
}

// TestActionlint runs the pinned actionlint (Makefile ACTIONLINT) over the
// workflows, with shellcheck over their run: scripts.
func TestActionlint(t *testing.T) {
	gentest.RequireTools(t, "go", "shellcheck")
	sc, _ := exec.LookPath("shellcheck")
	files := workflows(t)
	// The workflow docs/downstream.md shows, as a file of its own.
	doc, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "downstream.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(doc), "```yaml\nname: portspec\n")
	block, _, closed := strings.Cut(block, "```")
	if !ok || !closed {
		t.Fatal("docs/downstream.md: no yaml block of the workflow (name: portspec)")
	}
	wfDir := filepath.Join(t.TempDir(), ".github", "workflows")
	os.MkdirAll(wfDir, 0o755)
	shown := filepath.Join(wfDir, "downstream-md.yml")
	if err := os.WriteFile(shown, []byte("name: portspec\n"+block), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, shown)
	args := append([]string{"-shellcheck", sc}, files...)
	out, err := gentest.GoRun(t, repoRoot(t), nil, 5*time.Minute, gentest.Pinned(t, "ACTIONLINT"), args...)
	if err != nil {
		t.Fatalf("actionlint: %v\n%s", err, out)
	}
}

// TestShellcheck runs shellcheck over the action's script, the run: of
// every step of action.yml and the repository's scripts.
func TestShellcheck(t *testing.T) {
	gentest.RequireTools(t, "shellcheck")
	root := repoRoot(t)
	files := []string{filepath.Join(root, "action", "run.sh")}
	scripts, _ := filepath.Glob(filepath.Join(root, "scripts", "*.sh"))
	files = append(files, scripts...)
	for i, st := range readAction(t).Runs.Steps {
		p := filepath.Join(t.TempDir(), "action-step.sh")
		if err := os.WriteFile(p, []byte("#!/usr/bin/env bash\n"+st.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
		if strings.TrimSpace(st.Run) == "" {
			t.Errorf("action.yml step %d has no run:", i)
		}
	}
	out, err := exec.Command("shellcheck", append([]string{"--shell=bash", "--external-sources"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
