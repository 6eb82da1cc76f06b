package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/spec"
)

// TestGrammar runs every command with its flags after the positional
// document, and checks that an exit code means the same thing on each: 0
// done, 1 an invalid document (or stale outputs, or drift), 2 a usage error
// or an input that could not be read.
func TestGrammar(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no portspec.yaml here: the defaults apply
	good := filepath.Join(dir, "ports.md")
	os.WriteFile(good, spec.Default(), 0o644)
	changed := filepath.Join(dir, "changed.md")
	os.WriteFile(changed, []byte(strings.Replace(string(spec.Default()), "10250 | TCP | kubelet", "10251 | TCP | kubelet", 1)), 0o644)
	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("Nodes to nodes traffic\nPort | Protocol | Purpose |\n---|---|---|\n65536 | TCP | too high |\n"), 0o644)
	missing := filepath.Join(dir, "missing.md")
	out := filepath.Join(dir, "out")
	snapshot := filepath.Join(out, golang.DefaultDir, drifttest.FileName)

	steps := []struct {
		name string
		args []string
		want int
	}{
		{"parse", []string{"parse", good, "--format", "table"}, exitOK},
		{"parse invalid", []string{"parse", bad, "--format", "json"}, exitInvalid},
		{"parse wrong kind", []string{"parse", good, "--kind", "data"}, exitInvalid},
		{"parse unreadable", []string{"parse", missing, "--format", "json"}, exitUsage},
		{"parse two documents", []string{"parse", good, good}, exitUsage},
		{"parse unknown flag", []string{"parse", good, "--bogus"}, exitUsage},
		{"parse http refused", []string{"parse", "http://127.0.0.1:1/x.md", "--timeout", "1s"}, exitUsage},

		{"generate --check before", []string{"generate", good, "--out", out, "--check"}, exitInvalid},
		{"generate", []string{"generate", good, "--out", out, "--max-bytes", "1000000"}, exitOK},
		{"generate --check after", []string{"generate", good, "--out", out, "--check"}, exitOK},
		{"generate --check changed", []string{"generate", changed, "--out", out, "--check"}, exitInvalid},
		{"generate invalid", []string{"generate", bad, "--out", out}, exitInvalid},
		{"generate unreadable", []string{"generate", missing, "--out", out}, exitUsage},
		{"generate twice named", []string{"generate", good, "--input", good, "--out", out}, exitUsage},
		{"generate --input (older form)", []string{"generate", "--input", good, "--out", out, "--check"}, exitOK},

		{"drift none", []string{"drift", good, "--snapshot", snapshot}, exitOK},
		{"drift found", []string{"drift", changed, "--snapshot", snapshot, "--format", "json"}, exitInvalid},
		{"drift invalid", []string{"drift", bad, "--snapshot", snapshot}, exitInvalid},
		{"drift unreadable", []string{"drift", missing, "--snapshot", snapshot}, exitUsage},
		{"drift --source (older form)", []string{"drift", "--source", good, "--snapshot", snapshot}, exitOK},

		{"changes", []string{"changes", good, changed, "--format", "json"}, exitOK},
		{"changes invalid", []string{"changes", bad, good, "--format", "markdown"}, exitInvalid},
		{"changes unreadable", []string{"changes", good, missing, "--kind", "markdown"}, exitUsage},
		{"changes html", []string{"changes", good, changed, "--format", "html", "--lang", "en"}, exitOK},
		{"changes csv invalid", []string{"changes", good, bad, "--format", "csv"}, exitInvalid},

		{"report", []string{"report", good, "--format", "csv"}, exitOK},
		{"report xlsx", []string{"report", good, "--format", "xlsx", "--out", filepath.Join(dir, "ports.xlsx"), "--lang", "ru"}, exitOK},
		{"report invalid", []string{"report", bad, "--format", "mermaid"}, exitInvalid},
		{"report unreadable", []string{"report", missing}, exitUsage},
		{"report unknown format", []string{"report", good, "--format", "pdf"}, exitUsage},
		{"report unwritable", []string{"report", good, "--out", filepath.Join(missing, "x.html")}, exitUsage},
	}
	for _, s := range steps {
		code, stdout, stderr := runCmd(t, "", s.args...)
		if code != s.want {
			t.Errorf("%s: portspec %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", s.name, strings.Join(s.args, " "), code, s.want, stdout, stderr)
		}
	}
}

// TestFetchFlagsEverywhere: every command that reads a document takes the
// same flags for reading it.
func TestFetchFlagsEverywhere(t *testing.T) {
	for _, c := range commands {
		_, out, _ := runCmd(t, "", c.name, "--help")
		for _, f := range []string{"-kind", "-allow-http", "-timeout", "-max-bytes"} {
			if !strings.Contains(out, f) {
				t.Errorf("portspec %s --help lists no %s:\n%s", c.name, f, out)
			}
		}
	}
	_, out, _ := runCmd(t, "", "--help")
	for _, want := range []string{"Exit status, on every command", "0  done", "1  the answer is no", "2  no answer"} {
		if !strings.Contains(out, want) {
			t.Errorf("portspec --help lacks %q:\n%s", want, out)
		}
	}
}
