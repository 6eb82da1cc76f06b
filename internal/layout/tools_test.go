package layout

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
	"golang.org/x/mod/modfile"
)

// TestToolsIndex checks that tools.go names every tool go.mod pins with a
// `tool` line, and nothing else: go.mod is what `go tool` reads, tools.go
// what a person reads.
func TestToolsIndex(t *testing.T) {
	root := upstream.RepoRoot()
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	var pinned []string
	for _, tl := range mf.Tool {
		pinned = append(pinned, tl.Path)
	}
	src, err := os.ReadFile(filepath.Join(root, "tools.go"))
	if err != nil {
		t.Fatal(err)
	}
	// Each entry of the index is a list item "  - NAME (IMPORT/PATH): …".
	var indexed []string
	for _, m := range regexp.MustCompile(`(?m)^//\s+- \S+ \(([^)\s]+)\):`).FindAllSubmatch(src, -1) {
		indexed = append(indexed, string(m[1]))
	}
	slices.Sort(pinned)
	slices.Sort(indexed)
	if len(pinned) == 0 {
		t.Fatal("go.mod has no tool lines: the go:generate line in spec/model.go runs `go tool stringer`")
	}
	if !slices.Equal(pinned, indexed) {
		t.Errorf("go.mod pins tools %v, tools.go lists %v: keep the two lists equal", pinned, indexed)
	}
}
