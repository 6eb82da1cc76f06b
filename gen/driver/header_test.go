package driver

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// TestHasHeader: hasHeader reads a file's first line in pieces and a ZIP
// archive's end first in 4 KiB, and answers as gen.IsGenerated answers on
// the whole file, at every size that changes how much it reads.
func TestHasHeader(t *testing.T) {
	short := &spec.Document{Source: "doc.md", SHA256: "00"}
	long := &spec.Document{Source: strings.Repeat("x", 9000) + ".md", SHA256: "00"} // header line > 1 KiB, comment > 4 KiB
	archive := func(comment string, size int) []byte {
		var b bytes.Buffer
		w := zip.NewWriter(&b)
		f, _ := w.CreateHeader(&zip.FileHeader{Name: "a", Method: zip.Store})
		f.Write(bytes.Repeat([]byte("z"), size))
		w.SetComment(comment)
		w.Close()
		return b.Bytes()
	}
	files := map[string][]byte{
		"short":         []byte(gen.Header("#", short) + "\nrest\n"),
		"long line":     []byte(gen.Header("//", long) + "\nrest\n"),
		"no line end":   []byte(gen.Header("#", short)),
		"not ours":      []byte("# written by hand\n" + gen.Header("#", short) + "\n"),
		"empty":         nil,
		"endless line":  bytes.Repeat([]byte("#"), maxHeaderLine+10),
		"zip":           archive(gen.ZipComment(short), 100),
		"zip big":       archive(gen.ZipComment(short), 200<<10),
		"zip long":      archive(gen.ZipComment(long), 10),
		"zip foreign":   archive("made by a spreadsheet", 10),
		"zip no commnt": archive("", 10),
	}
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for name, data := range files {
		want := gen.IsGenerated(data) && len(bytes.SplitN(data, []byte("\n"), 2)[0]) < maxHeaderLine
		if name == "zip long" && len(gen.ZipComment(long)) <= 4<<10 {
			t.Fatalf("the long comment is %d bytes: it does not test the second read", len(gen.ZipComment(long)))
		}
		got, err := hasHeader(r, name)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: hasHeader = %v, gen.IsGenerated on the whole file %v", name, got, want)
		}
	}
	for _, name := range []string{"short", "long line", "zip", "zip big", "zip long"} {
		if ok, _ := hasHeader(r, name); !ok {
			t.Errorf("%s: not recognised as generated", name)
		}
	}
}

// TestSameContent: a file is the planned bytes only when every byte and
// the length match, across the reading buffer's boundary.
func TestSameContent(t *testing.T) {
	dir := t.TempDir()
	r, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	big := bytes.Repeat([]byte("0123456789"), 10<<10) // 100 KiB: several buffers
	for _, tc := range []struct {
		name       string
		disk, want []byte
		same       bool
	}{
		{"equal", big, big, true},
		{"last byte", big, append(bytes.Clone(big[:len(big)-1]), 'x'), false},
		{"first byte", big, append([]byte{'x'}, big[1:]...), false},
		{"longer on disk", append(bytes.Clone(big), 'x'), big, false},
		{"shorter on disk", big[:len(big)-1], big, false},
		{"empty", nil, nil, true},
		{"small", []byte("a\n"), []byte("a\n"), true},
	} {
		if err := os.WriteFile(filepath.Join(dir, "f"), tc.disk, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := sameContent(r, "f", tc.want)
		if err != nil || got != tc.same {
			t.Errorf("%s: sameContent = %v, %v; want %v", tc.name, got, err, tc.same)
		}
	}
}
