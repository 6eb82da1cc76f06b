package main

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestGenerateConcurrentRuns runs two `portspec generate` processes into
// one output root at once, many times, with two documents that differ in
// every file (a purpose reworded: every header's digest changes). Each run
// must succeed (neither may take the other's in-flight temporary file for
// an orphan), no temporary file may be left, and the tree must be what one
// of the two generates.
func TestGenerateConcurrentRuns(t *testing.T) {
	bin := cliBinary(t)
	dir := t.TempDir()
	docA := filepath.Join(dir, "a.md")
	docB := filepath.Join(dir, "b.md")
	os.WriteFile(docA, spec.Default(), 0o644)
	os.WriteFile(docB, bytes.Replace(spec.Default(), []byte("kubelet"), []byte("the kubelet"), 1), 0o644)
	out := filepath.Join(dir, "out")
	run := func(args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		var b bytes.Buffer
		cmd.Stdout, cmd.Stderr = &b, &b
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), b.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, b.String()
	}
	rounds := 30
	if testing.Short() {
		rounds = 10
	}
	for i := range rounds {
		var wg sync.WaitGroup
		codes, outs := make([]int, 2), make([]string, 2)
		for j, doc := range []string{docA, docB} {
			wg.Go(func() { codes[j], outs[j] = run("generate", "--out", out, doc) })
		}
		wg.Wait()
		for j := range codes {
			if codes[j] != 0 {
				t.Fatalf("round %d, run %d: exit %d\n%s", i, j, codes[j], outs[j])
			}
		}
	}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".tmp") {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
	codeA, _ := run("generate", "--check", "--out", out, docA)
	codeB, _ := run("generate", "--check", "--out", out, docB)
	if codeA != 0 && codeB != 0 {
		t.Errorf("after the runs the tree is neither a's nor b's (check exits %d, %d)", codeA, codeB)
	}
}

// TestGenerateRefusesLinkedFolders: generated/kubernetes a symbolic link
// to generated/cilium made each run delete the other target's files as
// orphans (exit 0, forever). Now generate refuses, naming both, and
// deletes nothing.
func TestGenerateRefusesLinkedFolders(t *testing.T) {
	t.Chdir(t.TempDir())
	mustGen(t, exitOK)
	k8s := filepath.Join("generated", "kubernetes")
	os.RemoveAll(k8s)
	if err := os.Symlink("cilium", k8s); err != nil {
		t.Skip("symbolic links:", err)
	}
	before := snapshotTree(t, filepath.Join("generated", "cilium"))
	for _, args := range [][]string{nil, {"--check"}} {
		_, errs := mustGen(t, exitUsage, args...)
		if !strings.Contains(errs, `folder "cilium" (target cilium) and folder "kubernetes" (target kubernetes) are one folder`) {
			t.Errorf("generate %v: stderr:\n%s", args, errs)
		}
	}
	sameTree(t, "a refused run", before, snapshotTree(t, filepath.Join("generated", "cilium")))
}
