//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipeRefused: a named pipe given as the document, the config or
// the acknowledge file would block the run forever (nobody writes to it).
// It is refused at once, exit 2; "-" is how standard input is read.
func TestNamedPipeRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "doc.yml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	snapFifo := filepath.Join(dir, "drift_test.go")
	if err := syscall.Mkfifo(snapFifo, 0o644); err != nil {
		t.Fatal("mkfifo:", err)
	}
	_, cfg := driftRepo(t, driftBase)
	for name, args := range map[string][]string{
		"parse":               {"parse", fifo},
		"generate":            {"generate", "--out", filepath.Join(dir, "out"), fifo},
		"changes":             {"changes", fifo, fifo},
		"changes, a snapshot": {"changes", snapFifo, ""},
		"generate --config":   {"generate", "--config", fifo},
		"drift --acknowledge": {"drift", "--config", cfg, "--acknowledge", fifo},
		"drift --snapshot":    {"drift", "--snapshot", fifo, "x.yml"},
	} {
		done := make(chan struct{})
		var code int
		var errs string
		go func() {
			code, _, errs = runCmd(t, "", args...)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: blocked on the named pipe", name)
		}
		if code != exitUsage || !strings.Contains(errs, "named pipe") {
			t.Errorf("%s: want exit 2 refusing the named pipe, got %d\n%s", name, code, errs)
		}
	}
	if code, _, errs := runCmd(t, driftBase, "parse", "-"); code != exitOK {
		t.Errorf("parse -: exit %d\n%s", code, errs)
	}
}
