package config

import (
	"encoding/json"
	"go/scanner"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/golden"
	"github.com/portspec/portspec/internal/upstream"
	"golang.org/x/tools/txtar"
)

// TestConfigs validates the example configs in testdata/configs.txtar:
// good ones parse, bad ones fail with exactly the file:line:col errors
// recorded next to them.
func TestConfigs(t *testing.T) {
	const path = "testdata/configs.txtar"
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The archive as it should be: every input kept, each bad input
	// followed by the errors it gives.
	var out []txtar.File
	for _, f := range ar.Files {
		if strings.HasSuffix(f.Name, ".want") {
			continue
		}
		out = append(out, f)
		switch {
		case strings.HasPrefix(f.Name, "good/"):
			if _, err := ParseConfig(f.Name, f.Data); err != nil {
				t.Errorf("%s: %v", f.Name, err)
			}
		case strings.HasPrefix(f.Name, "bad/"):
			_, err := ParseConfig(f.Name, f.Data)
			if err == nil {
				t.Errorf("%s: accepted", f.Name)
				continue
			}
			got := errorLines(err)
			for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
				if !strings.HasPrefix(line, f.Name+":") {
					t.Errorf("%s: error line without file:line:col: %q", f.Name, line)
				}
			}
			out = append(out, txtar.File{Name: strings.TrimSuffix(f.Name, ".yaml") + ".want", Data: []byte(got)})
		}
	}
	golden.Check(t, path, string(ar.Comment), out)
}

// errorLines prints every error of a list, one per line.
func errorLines(err error) string {
	var b strings.Builder
	scanner.PrintError(&b, err)
	return b.String()
}

// TestRepoConfigValid checks the repository's own portspec.yaml against
// the schema and that its header names the schema file that exists.
func TestRepoConfigValid(t *testing.T) {
	root := upstream.RepoRoot()
	if root == "" {
		t.Fatal("repository root not found")
	}
	path := filepath.Join(root, ConfigFile)
	c, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	first, _, _ := strings.Cut(string(data), "\n")
	const prefix = "# yaml-language-server: $schema="
	if !strings.HasPrefix(first, prefix) {
		t.Fatalf("first line %q lacks %q", first, prefix)
	}
	ref := strings.TrimPrefix(first, prefix)
	if _, err := os.Stat(filepath.Join(root, ref)); err != nil || ref != SchemaPath {
		t.Errorf("schema reference %q: %v (want %s)", ref, err, SchemaPath)
	}
	if len(c.Idents) < 50 {
		t.Errorf("only %d identifier overrides", len(c.Idents))
	}
	// The embedded schema is the file editors read.
	disk, err := os.ReadFile(filepath.Join(root, SchemaPath))
	if err != nil || string(disk) != string(Schema()) {
		t.Errorf("embedded schema differs from %s (%v)", SchemaPath, err)
	}
	var v any
	if err := json.Unmarshal(Schema(), &v); err != nil {
		t.Errorf("schema is not JSON: %v", err)
	}
}

// TestConfigPaths: what generate reads and writes and what drift looks for
// are resolved the same way, against the config's folder.
func TestConfigPaths(t *testing.T) {
	c := &Config{Dir: filepath.Join("repo", "sub")}
	for in, want := range map[string]string{
		"":                         "",
		"-":                        "-",
		"https://example.test/p.y": "https://example.test/p.y",
		"ports.yml":                filepath.Join("repo", "sub", "ports.yml"),
		"../up/ack.yaml":           filepath.Join("repo", "up", "ack.yaml"),
		filepath.Join(string(filepath.Separator), "abs", "p.yml"): filepath.Join(string(filepath.Separator), "abs", "p.yml"),
	} {
		if got := c.Path(in); got != want {
			t.Errorf("Path(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := c.OutRoot(), filepath.Join("repo", "sub", DefaultOut); got != want {
		t.Errorf("OutRoot() = %q, want %q", got, want)
	}
	c.Out = "-"
	if got, want := c.OutRoot(), filepath.Join("repo", "sub", "-"); got != want {
		t.Errorf("OutRoot() with out \"-\" = %q, want %q (a folder, not standard input)", got, want)
	}
	if got := DefaultConfig().OutRoot(); got != DefaultOut {
		t.Errorf("default OutRoot() = %q, want %q", got, DefaultOut)
	}
}

// TestKeyOwner: a key that fails propertyNames is reported in the object
// that holds it and whose schema checks its keys (idents), not in another
// object of the same depth that has a key of the same name (targets).
func TestKeyOwner(t *testing.T) {
	sch, err := compiledSchema()
	if err != nil {
		t.Fatal(err)
	}
	inst := map[string]any{
		"version": json.Number("1"),
		"targets": map[string]any{"go": map[string]any{}},
		"idents":  map[string]any{"go": "Go", "zz": "Zz"},
	}
	for key, want := range map[string]string{"go": "idents", "zz": "idents", "absent": ""} {
		if got := strings.Join(keyOwner(sch, inst, 1, key), "/"); got != want {
			t.Errorf("keyOwner(%q) = %q, want %q", key, got, want)
		}
	}
}
