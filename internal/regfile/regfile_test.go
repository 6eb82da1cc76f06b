package regfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

// TestRead: a file is read whole, whatever its size against the first
// buffer (empty, under 512 bytes, exactly the limit), and one byte over
// the limit is refused.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []int{0, 1, 511, 512, 513, 70_000} {
		want := bytes.Repeat([]byte("abcdefg\n"), n)[:n]
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := Read(path, int64(max(n, 1)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
		if n > 1 { // (a limit of 0 is the default)
			if _, err := Read(path, int64(n-1)); err == nil || !strings.Contains(err.Error(), "larger than") {
				t.Errorf("%d bytes, limit %d: err = %v, want too large", n, n-1, err)
			}
		}
	}
}

// TestReadLimited: a reader that gives a byte at a time is read whole,
// and refused past the limit.
func TestReadLimited(t *testing.T) {
	want := bytes.Repeat([]byte("x"), 2000)
	got, err := ReadLimited(iotest.OneByteReader(bytes.NewReader(want)), 2000, "in")
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("got %d bytes, %v", len(got), err)
	}
	if _, err := ReadLimited(bytes.NewReader(want), 1999, "in"); err == nil {
		t.Error("2000 bytes with a limit of 1999 were read")
	}
	if _, err := ReadLimited(iotest.ErrReader(os.ErrClosed), 10, "in"); err == nil || !strings.Contains(err.Error(), "reading in") {
		t.Errorf("err = %v, want a read error naming the input", err)
	}
}
