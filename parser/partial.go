package parser

import (
	"fmt"
	"go/token"
	"strings"

	"github.com/portspec/portspec/spec"
)

// A document that looks cut short is marked partial (Document.Partial):
// compared with a whole one it would close every port it lost. Two signs
// are read: the input stops inside its last row (each reader knows its
// own form's sign and calls partialf), and the groups it holds are only
// the first ones of the page, in the page's order, without the rest
// (checkGroups, for every kind).

// partialf records why the document looks cut short.
func (r *reader) partialf(pos token.Position, format string, args ...any) {
	r.doc.Partial = append(r.doc.Partial, spec.Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// checkGroups marks the document partial when its known groups are the
// first groups of the page, in the page's order, and the later ones are
// missing: what a copy that stopped early holds. Every version of the page
// has all seven groups, in the same order. A document that holds groups
// from the middle or the end (one table copied on its own) is not marked:
// nothing says it was cut.
func (r *reader) checkGroups() {
	known := spec.KnownGroups()
	present := 0
	for i, k := range known {
		g := r.doc.Group(k.ID)
		if g == nil {
			break
		}
		if r.damaged[k.ID] && len(g.Rules) == 0 {
			return
		}
		present = i + 1
	}
	if present == 0 || present == len(known) {
		return
	}
	for _, k := range known[present:] {
		if r.doc.Group(k.ID) != nil {
			return // a later group is there: not a prefix
		}
	}
	var missing []string
	for _, k := range known[present:] {
		missing = append(missing, k.ID)
	}
	last := r.doc.Group(known[present-1].ID)
	pos := last.Pos
	if n := len(last.Rules); n > 0 {
		pos = last.Rules[n-1].Pos
	}
	first := "the first of the page's"
	if present > 1 {
		first = fmt.Sprintf("the first %d of the page's", present)
	}
	verb := "are"
	if len(missing) == 1 {
		verb = "is"
	}
	r.partialf(pos, "the document holds only %s %d groups and ends after %s: %s %s missing, and every version of the page has them; it looks cut short here", first, len(known), last.ID, strings.Join(missing, ", "), verb)
}
