package spec

// Overlaps returns, for each group, the port ranges of one protocol that
// overlap without being the same ("7946" inside "7000-7999"): not an error
// (the upstream page has them), but something a reader of the rules should
// see. Parsers add them to Document.Warnings. Sorted by position.
func Overlaps(d *Document) []Diagnostic {
	var out []Diagnostic
	for gi := range d.Groups {
		g := &d.Groups[gi]
		spans := portSpans(g)
		var reach portSpan // among earlier spans of this protocol, the one reaching furthest
		for i, cur := range spans {
			if i == 0 || cur.proto != reach.proto {
				reach = cur
				continue
			}
			if reach.r.Last >= cur.r.First && reach.r != cur.r {
				out = append(out, Diagnostic{g.Rules[cur.rule].Pos, cur.proto.String() + " " + cur.r.String() + " overlaps " +
					cur.proto.String() + " " + reach.r.String() + " (at " + g.Rules[reach.rule].Pos.String() + ") in group " + g.ID +
					": both rows are kept"})
			}
			if cur.r.Last > reach.r.Last {
				reach = cur
			}
		}
	}
	SortDiagnostics(out)
	return out
}
