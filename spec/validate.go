package spec

import (
	"fmt"
	"go/token"
	"sort"
)

// Validate checks the model's invariants and returns every violation as an
// ErrorList sorted by position, or nil:
//   - ports are 1-65535 and every range has First <= Last;
//   - the protocol is known; ICMP has no ports; TCP and UDP have ports;
//   - no group is without rules;
//   - no (group, protocol, port) appears twice.
//
// Parsers call it last, so that a document they return is always valid.
func Validate(d *Document) error {
	var errs Errors
	for gi := range d.Groups {
		g := &d.Groups[gi]
		if len(g.Rules) == 0 {
			errs.Add(g.Pos, "group %q (%s) has no rules: add rows to its table or remove the heading", g.ID, g.Title())
		}
		for ri := range g.Rules {
			r := &g.Rules[ri]
			switch r.Protocol {
			case TCP, UDP:
				if len(r.Ports) == 0 {
					errs.Add(r.Pos, "%s rule %q has no ports: write the port, a list (\"80, 443\") or a range (\"7000-7999\")", r.Protocol, r.Purpose())
				}
			case ICMP:
				if len(r.Ports) != 0 {
					errs.Add(r.Pos, "ICMP rule %q has ports (%s): ICMP has no ports, leave the port cell empty", r.Purpose(), FormatPorts(r.Ports))
				}
			default:
				errs.Add(r.Pos, "rule %q has unknown protocol: use TCP, UDP, ICMP or TCP/UDP", r.Purpose())
			}
			for _, pr := range r.Ports {
				switch {
				case pr.First == 0 || pr.Last == 0:
					errs.Add(r.Pos, "port %s is out of range: ports are 1-65535", pr)
				case pr.First > pr.Last:
					errs.Add(r.Pos, "port range %d-%d is reversed: write %d-%d", pr.First, pr.Last, pr.Last, pr.First)
				}
			}
		}
		checkDuplicates(g, &errs)
	}
	return errs.Err()
}

// checkDuplicates reports every port that two rows of one group open for
// the same protocol. It sorts the ranges and sweeps them, so that a document
// of 100,000 rows costs n log n, not n².
func checkDuplicates(g *Group, errs *Errors) {
	type span struct {
		proto Protocol
		r     PortRange
		pos   token.Position
		order int
	}
	var spans []span
	for i := range g.Rules {
		r := &g.Rules[i]
		for _, pr := range r.Ports {
			if pr.First == 0 || pr.First > pr.Last {
				continue // reported above
			}
			spans = append(spans, span{r.Protocol, pr, r.Pos, len(spans)})
		}
	}
	sort.Slice(spans, func(i, j int) bool {
		a, b := spans[i], spans[j]
		if a.proto != b.proto {
			return a.proto < b.proto
		}
		if a.r.First != b.r.First {
			return a.r.First < b.r.First
		}
		return a.order < b.order
	})
	var reach span // among earlier spans of this protocol, the one reaching furthest
	for i, cur := range spans {
		if i == 0 || cur.proto != reach.proto {
			reach = cur
			continue
		}
		if reach.r.Last >= cur.r.First {
			first, later := reach, cur
			if later.order < first.order {
				first, later = later, first
			}
			errs.Add(later.pos, "%s port %d is listed twice in group %s (first at %s): remove one of the rows", cur.proto, cur.r.First, g.ID, first.pos)
		}
		if cur.r.Last > reach.r.Last {
			reach = cur
		}
	}
}

// String formats a range as "2379" or "7000-7999".
func (r PortRange) String() string {
	if r.Single() {
		return fmt.Sprint(r.First)
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// FormatPorts formats ranges as the page does: "2379, 2380", "7000-7999".
func FormatPorts(rs []PortRange) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r.String()
	}
	return s
}
