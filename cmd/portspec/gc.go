package main

import (
	"os"
	"runtime/debug"

	"github.com/portspec/portspec/gen/driver"
	"github.com/portspec/portspec/spec"
)

// The garbage collector of a short command. By default (GOGC=100) Go
// collects each time the heap doubles, from 4 MB, so `generate --check` on
// the real document (about 12 MB allocated, nearly all of it garbage by
// the end) spent about a quarter of its CPU collecting. A process started
// by main (not a test running commands in process) therefore starts with
// GOGC=smallGOGC: the first collection comes at 16 MB, so a small run
// never collects. Once a document is read, a large one (not driver.Small:
// more than 5,000 rules and port ranges) gets GOGC=100 back, so that its
// peak memory is what the default gives. No memory limit is set (a limit below
// the live heap would make the runtime collect without end). GOGC or
// GOMEMLIMIT in the environment is the user's choice and left alone.
// Measured in docs/performance.md; TestGCOnlyForLargeDocuments checks both
// sides with GODEBUG=gctrace=1.
const smallGOGC = 400

// gcTuned is set when startGC changed the collector.
var gcTuned bool

// startGC sets GOGC=smallGOGC, unless the environment sets the collector.
func startGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetGCPercent(smallGOGC)
	gcTuned = true
}

// sizeGC gives a large document the default collector back.
func sizeGC(doc *spec.Document) {
	if !gcTuned || doc == nil || driver.Small(doc) {
		return
	}
	debug.SetGCPercent(100)
	gcTuned = false
}
