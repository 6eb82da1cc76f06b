package spec

import (
	"cmp"
	"fmt"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// Validate checks the model's invariants and returns every violation as an
// ErrorList sorted by position, or nil:
//   - ports are 1-65535 and every range has First <= Last;
//   - the protocol is known; ICMP has no ports; TCP and UDP have ports;
//   - the document has groups, and no group is without rules: firewalls
//     generated from a document without rules would open no port at all;
//   - no (group, protocol, port) appears twice.
//
// Parsers call it last, so that a document they return is always valid.
func Validate(d *Document) error {
	var errs Errors
	if len(d.Groups) == 0 {
		errs.Add(token.Position{Filename: d.Source, Line: 1, Column: 1}, "the document has no groups and no rules: firewalls generated from it would open no port at all")
	}
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

// checkDuplicates reports every port range that two rows of one group open
// for the same protocol, written identically (the same port listed twice).
// A port inside another row's range ("7946" and "7000-7999") is not an
// error: the upstream page has it on main (metallb's memberlist port inside
// sds-replicated-volume's DRBD range); Overlaps reports it as a finding.
// Sorting makes this n log n, so a document of 100,000 rows stays cheap.
func checkDuplicates(g *Group, errs *Errors) {
	spans := portSpans(g)
	for i := 1; i < len(spans); i++ {
		prev, cur := spans[i-1], spans[i]
		if cur.proto == prev.proto && cur.r == prev.r {
			errs.Add(g.Rules[cur.rule].Pos, "%s port %s is listed twice in group %s (first at %s): remove one of the rows", cur.proto, cur.r, g.ID, g.Rules[prev.rule].Pos)
		}
	}
}

// portSpan is one port range of a rule, for the duplicate and overlap
// checks. It is small (the rule's position is looked up by index) because
// a large document has one per port range.
type portSpan struct {
	proto Protocol
	r     PortRange
	rule  int32 // index in Group.Rules
	order int32 // position among the spans in document order
}

// portSpans returns the valid port ranges of g sorted by protocol, first
// port, last port and row order.
func portSpans(g *Group) []portSpan {
	n := 0
	for i := range g.Rules {
		n += len(g.Rules[i].Ports)
	}
	spans := make([]portSpan, 0, n)
	for i := range g.Rules {
		r := &g.Rules[i]
		for _, pr := range r.Ports {
			if pr.First == 0 || pr.First > pr.Last {
				continue // reported by Validate
			}
			spans = append(spans, portSpan{r.Protocol, pr, int32(i), int32(len(spans))})
		}
	}
	slices.SortFunc(spans, func(a, b portSpan) int {
		// One comparison of protocol, first and last port packed together
		// (cmp.Or would compute all four comparisons every time).
		if ka, kb := a.key(), b.key(); ka != kb {
			return cmp.Compare(ka, kb)
		}
		return cmp.Compare(a.order, b.order)
	})
	return spans
}

// key packs the protocol and the range into one number in their order.
func (s portSpan) key() uint64 {
	return uint64(s.proto)<<32 | uint64(s.r.First)<<16 | uint64(s.r.Last)
}

// String formats a range as "2379" or "7000-7999".
func (r PortRange) String() string {
	if r.Single() {
		return fmt.Sprint(r.First)
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// FormatPorts formats ranges as the page does: "2379, 2380", "7000-7999".
// It is linear in the number of ranges (a cell may list thousands).
func FormatPorts(rs []PortRange) string {
	var b strings.Builder
	b.Grow(len(rs) * 7)
	for i, r := range rs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(int(r.First)))
		if !r.Single() {
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(int(r.Last)))
		}
	}
	return b.String()
}

// Label names a rule by its protocol and ports, as warnings and comments
// cite it: "TCP/2379, 2380", "UDP/8472", or "ICMP".
func (r *Rule) Label() string {
	if r.Protocol == ICMP {
		return "ICMP"
	}
	return r.Protocol.String() + "/" + FormatPorts(r.Ports)
}
