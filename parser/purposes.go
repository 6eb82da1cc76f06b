package parser

import "github.com/portspec/portspec/spec"

// purposeArena hands out each rule's one-language Purposes as a piece of a
// shared array, so that a document of n rows costs a few allocations for
// its purposes instead of one (a map, before) per row. spec.MakePurposes
// clips each piece to its one entry, and a Purposes never writes into its
// storage, so no rule can change a neighbour's.
type purposeArena struct {
	free []spec.LangPurpose // the unused rest of the current array
	next int                // size of the next array when no size is reserved
}

// reserve makes room for n more purposes in one array: a table reserves its
// rows before reading them.
func (a *purposeArena) reserve(n int) {
	if len(a.free) < n {
		a.free = make([]spec.LangPurpose, n)
	}
}

// one returns the purposes of a rule that has p in lang only.
func (a *purposeArena) one(lang string, p spec.Purpose) spec.Purposes {
	if len(a.free) == 0 {
		// Rows read without a reservation (an HTML or text table): arrays
		// of 64, then twice the last, up to 4096 entries.
		a.next = min(max(64, 2*a.next), 4096)
		a.free = make([]spec.LangPurpose, a.next)
	}
	a.free[0] = spec.LangPurpose{Lang: lang, Purpose: p}
	ps := spec.MakePurposes(a.free[:1:1])
	a.free = a.free[1:]
	return ps
}
