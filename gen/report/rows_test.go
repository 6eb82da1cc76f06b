package report

import (
	"fmt"
	"slices"

	"github.com/portspec/portspec/spec"
)

// modelRow is one row as the tests expect it, found from the model itself
// (not by the report's code): a port range of a rule, the zero range for
// ICMP.
type modelRow struct {
	g *spec.Group
	r *spec.Rule
	p spec.PortRange
}

// modelRows returns the document's rows in document order, of the given
// directions only (all when none is given).
func modelRows(doc *spec.Document, dirs ...spec.Direction) []modelRow {
	var out []modelRow
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		if len(dirs) > 0 && !slices.Contains(dirs, g.Direction) {
			continue
		}
		for ri := range g.Rules {
			r := &g.Rules[ri]
			if len(r.Ports) == 0 {
				out = append(out, modelRow{g, r, spec.PortRange{}})
			}
			for _, p := range r.Ports {
				out = append(out, modelRow{g, r, p})
			}
		}
	}
	return out
}

// shownPorts is how the tests expect a flow's ports written: "2379/TCP",
// "7000-7999/TCP", "ICMP".
func shownPorts(proto spec.Protocol, p spec.PortRange) string {
	switch {
	case proto == spec.ICMP:
		return "ICMP"
	case p.First == p.Last:
		return fmt.Sprintf("%d/%s", p.First, proto)
	}
	return fmt.Sprintf("%d-%d/%s", p.First, p.Last, proto)
}

// firstLast are a row's ports as the sheets' and the CSV's columns hold
// them: empty for ICMP.
func (m modelRow) firstLast() (string, string) {
	if m.r.Protocol == spec.ICMP {
		return "", ""
	}
	return fmt.Sprint(m.p.First), fmt.Sprint(m.p.Last)
}

// rows are the report's own rows (eachRow), collected.
func rows(doc *spec.Document) []row { return slices.Collect(eachRow(doc)) }
