package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// recorder is a testing.TB that keeps the errors Check reports.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	if *update {
		t.Skip("-update rewrites instead of comparing")
	}
	path := filepath.Join(t.TempDir(), "a.txtar")
	// "b" lacks its final new line on purpose: the archive adds one.
	files := []txtar.File{{Name: "a", Data: []byte("one\n")}, {Name: "b", Data: []byte("two")}}
	if err := os.WriteFile(path, txtar.Format(&txtar.Archive{Comment: []byte("c\n"), Files: files}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		comment string
		files   []txtar.File
		want    []string // substrings, one per reported error
	}{
		{"same", "c\n", files, nil},
		{"comment", "d\n", files, []string{"comment differs"}},
		{"contents", "c\n", []txtar.File{files[0], {Name: "b", Data: []byte("three\n")}}, []string{"b differs"}},
		{"names", "c\n", files[:1], []string{"files differ"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &recorder{TB: t}
			Check(r, path, tc.comment, tc.files)
			if len(r.errs) != len(tc.want) {
				t.Fatalf("errors %q, want %d", r.errs, len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.Contains(r.errs[i], w) || !strings.Contains(r.errs[i], "(-want +got)") {
					t.Errorf("error %q lacks %q", r.errs[i], w)
				}
			}
		})
	}
}
