package main

import (
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"testing"

	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// gcLine is a line of GODEBUG=gctrace=1: one per collection.
var gcLine = regexp.MustCompile(`(?m)^gc \d+ @`)

// TestGCOnlyForLargeDocuments: the built command generating the real
// document collects less often than the same command under GOGC=100 (the
// runtime's own trace counts the collections), and a document above
// larger than driver.Small gets GOGC=100 back after it is read.
func TestGCOnlyForLargeDocuments(t *testing.T) {
	bin := cliBinary(t)
	collections := func(env ...string) int {
		cmd := exec.Command(bin, "generate", "--out", t.TempDir())
		cmd.Dir = t.TempDir() // no portspec.yaml: the default config
		cmd.Env = append(os.Environ(), append([]string{"GODEBUG=gctrace=1", "GOGC=", "GOMEMLIMIT="}, env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %v\n%s", cmd.Args, err, out)
		}
		return len(gcLine.FindAllIndex(out, -1))
	}
	tuned, plain := collections(), collections("GOGC=100")
	t.Logf("collections: %d tuned, %d under GOGC=100", tuned, plain)
	if plain == 0 {
		t.Fatal("GOGC=100: no collection in the trace, so the trace shows nothing")
	}
	if tuned >= plain {
		t.Errorf("generate on the default document collected %d times, as many as under GOGC=100 (%d)", tuned, plain)
	}

	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		doc  *spec.Document
		want int
	}{
		{gentest.Big(20), smallGOGC},
		{gentest.Big(5001), 100},
	} {
		debug.SetGCPercent(smallGOGC)
		gcTuned = true
		sizeGC(tc.doc)
		if got := debug.SetGCPercent(100); got != tc.want {
			t.Errorf("after a document of %d groups (small: %v): GOGC=%d, want %d", len(tc.doc.Groups), driver.Small(tc.doc), got, tc.want)
		}
	}
	gcTuned = false
}
