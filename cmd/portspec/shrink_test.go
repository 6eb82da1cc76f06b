package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshotTree reads every file under dir, for checking that a refused
// run changed nothing.
func snapshotTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTree(t *testing.T, what string, before, after map[string][]byte) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: %d files before, %d after", what, len(before), len(after))
	}
	for p, b := range before {
		if !bytes.Equal(after[p], b) {
			t.Errorf("%s changed %s", what, p)
		}
	}
}

// TestGenerateRefusesLockout: a document without rules never reaches the
// generators, and a valid one that would remove most rules of the current
// outputs is refused (exit 1, nothing written or removed) unless
// --allow-shrink says it is meant.
func TestGenerateRefusesLockout(t *testing.T) {
	t.Chdir(t.TempDir())
	mustGen(t, exitOK) // the embedded default: 48 rules
	before := snapshotTree(t, "generated")

	os.WriteFile("empty.yml", []byte("groups: []\n"), 0o644)
	_, errs := mustGen(t, exitInvalid, "empty.yml")
	if !strings.Contains(errs, "empty.yml:1:9: `groups` is empty") {
		t.Errorf("groups: []: want the error at the list, got:\n%s", errs)
	}
	sameTree(t, "an empty document", before, snapshotTree(t, "generated"))

	os.WriteFile("one.yml", []byte(driftBase), 0o644) // 2 rules, both (123/UDP, 4205/TCP) in the default
	_, errs = mustGen(t, exitInvalid, "one.yml")
	for _, want := range []string{"one.yml removes 46 of the 48 rules of the current outputs", filepath.Join("generated", "ports", "drift_test.go"), "--allow-shrink"} {
		if !strings.Contains(errs, want) {
			t.Errorf("shrinking document: stderr lacks %q:\n%s", want, errs)
		}
	}
	sameTree(t, "a refused shrinking document", before, snapshotTree(t, "generated"))
	// --check writes nothing: it reports, and is not refused.
	mustGen(t, exitInvalid, "--check", "one.yml")

	out, _ := mustGen(t, exitOK, "--allow-shrink", "one.yml")
	if !strings.Contains(out, "removed") {
		t.Errorf("--allow-shrink: want the old files removed:\n%s", out)
	}
	// From the small document back to the default is growth: no flag.
	mustGen(t, exitOK)

	// A snapshot that cannot be read is no licence: refused too.
	snap := filepath.Join("generated", "ports", "drift_test.go")
	data, _ := os.ReadFile(snap)
	os.WriteFile(snap, bytes.Replace(data, []byte("driftSnapshot"), []byte("renamedSnapshot"), -1), 0o644)
	_, errs = mustGen(t, exitInvalid, "one.yml")
	if !strings.Contains(errs, "cannot compare the document with the current outputs") || !strings.Contains(errs, "--allow-shrink") {
		t.Errorf("unreadable snapshot: %s", errs)
	}
}
