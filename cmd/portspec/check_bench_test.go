package main

import (
	"context"
	"io"
	"testing"
)

// BenchmarkGenerateCheck is `portspec generate --check` on this
// repository (the default document, every target, the files on disk), in
// process: what a pre-commit hook pays beyond the process's start-up.
func BenchmarkGenerateCheck(b *testing.B) {
	b.Chdir("../..")
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), []string{"generate", "--check"}, stdio{in: nil, out: io.Discard, err: io.Discard}); code != exitOK {
			b.Fatalf("generate --check: exit %d", code)
		}
	}
}
