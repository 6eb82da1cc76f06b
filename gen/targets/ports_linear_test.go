package targets

import (
	"runtime"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
)

// TestOneCellLinear: each target's memory for one cell listing n ports
// grows linearly in n: four times the ports cost four times the bytes, up
// to twice that again because a buffer that doubles may have just doubled
// (8× allowed; a quadratic step, such as building the port list by string
// concatenation, costs 16×). Allocation, unlike time, does not depend
// on the machine's load. The sizes are past the few thousand ports where
// the YAML encoder's cost per port settles (its long lines).
// BenchmarkOneCellPorts has the timings.
func TestOneCellLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 40,000 ports per target: not with -short")
	}
	alloc := func(g gen.Generator, n int) uint64 {
		doc := oneCell(n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := g.Generate(gen.Request{Doc: doc, Dir: "ports", Options: targetOptions(g), Clients: clients.New(nil)}); err != nil {
			t.Fatalf("%s: %v", g.Name(), err)
		}
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, g := range oneCellTargets() {
		small, big := alloc(g, 10000), alloc(g, 40000)
		if ratio := float64(big) / float64(small); ratio > 8 {
			t.Errorf("%s: 10,000 ports allocate %d KB, 40,000 ports %d KB: %.1f×, not linear", g.Name(), small>>10, big>>10, ratio)
		} else {
			t.Logf("%s: %.1f× the bytes for 4× the ports", g.Name(), ratio)
		}
	}
}
