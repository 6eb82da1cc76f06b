package report

import (
	"cmp"
	"iter"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// The one view of the document that every format shows: its flows in
// document order (the rows of the CSV and the sheets), and per pair of
// roles the flows from one to the other (the matrix, the diagram's arrows).

// row is one port range of one rule: a row of the CSV and the sheets.
type row struct {
	group *spec.Group
	rule  *spec.Rule
	ports spec.PortRange // zero for ICMP
}

// eachRow yields the document's rows in document order: groups, their
// rules, each rule's ranges as written.
func eachRow(doc *spec.Document) iter.Seq[row] {
	return func(yield func(row) bool) {
		for gi := range doc.Groups {
			g := &doc.Groups[gi]
			for ri := range g.Rules {
				r := &g.Rules[ri]
				if len(r.Ports) == 0 {
					if !yield(row{g, r, spec.PortRange{}}) {
						return
					}
					continue
				}
				for _, p := range r.Ports {
					if !yield(row{g, r, p}) {
						return
					}
				}
			}
		}
	}
}

// maxListedRanges is how many port ranges the ports column of the CSV and
// of the workbook's flow sheets lists. Every row of a rule (one per range)
// repeats that column, so a rule of n ranges written in full there would
// cost n² (one cell of every port: 65,535 rows of 400 KB). A rule of more
// ranges has its first three, "…" and its last there; nothing is lost:
// each row's own range is in first_port and last_port, and the page lists
// every rule's ports in full once. No document has a rule near it.
const maxListedRanges = 64

// listedPorts is a rule's ports as the ports column has them.
func listedPorts(ports []spec.PortRange) string {
	if len(ports) <= maxListedRanges {
		return spec.FormatPorts(ports)
	}
	return spec.FormatPorts(ports[:3]) + ", …, " + spec.FormatPorts(ports[len(ports)-1:])
}

// origin says where a row comes from: the document, or (a rule whose
// position is in another file than the document's, as the rows a
// portspec.yaml adds to it are) an overlay.
func (r row) origin(doc *spec.Document) text.Key {
	if r.rule.Pos.Filename != "" && r.rule.Pos.Filename != doc.Source {
		return text.OriginOverlay
	}
	return text.OriginDocument
}

// cellFlow is one flow in a cell of the matrix: a protocol and a port
// range from one role to another, with the rules that state it (one,
// unless the document repeats it).
type cellFlow struct {
	protocol spec.Protocol
	ports    spec.PortRange
	rules    []*spec.Rule
}

// pair is a matrix cell's key: from one role to another.
type pair struct{ from, to spec.Role }

// matrix is the document's flows by pair of roles.
type matrix struct {
	// roles are the matrix's rows and columns: the known roles, and
	// RoleUnknown when a group of unknown roles has rules.
	roles []spec.Role
	cells map[pair][]cellFlow
}

func buildMatrix(doc *spec.Document) matrix {
	m := matrix{roles: spec.Roles(), cells: map[pair][]cellFlow{}}
	// Each flow's place in its cell, so that a row finds its flow in one
	// look-up however many flows the cell has.
	type flowKey struct {
		pair
		protocol spec.Protocol
		ports    spec.PortRange
	}
	index := map[flowKey]int{}
	for r := range eachRow(doc) {
		k := pair{r.group.From, r.group.To}
		if (k.from == spec.RoleUnknown || k.to == spec.RoleUnknown) && !slices.Contains(m.roles, spec.RoleUnknown) {
			m.roles = append(m.roles, spec.RoleUnknown)
		}
		fk := flowKey{k, r.rule.Protocol, r.ports}
		cell := m.cells[k]
		i, ok := index[fk]
		if !ok {
			cell = append(cell, cellFlow{protocol: r.rule.Protocol, ports: r.ports})
			i = len(cell) - 1
			index[fk] = i
			m.cells[k] = cell
		}
		// A rule's rows come one after another: if the flow has the rule
		// already, it is the last one the flow has.
		if rs := cell[i].rules; len(rs) == 0 || rs[len(rs)-1] != r.rule {
			cell[i].rules = append(rs, r.rule)
		}
	}
	for k := range m.cells {
		slices.SortFunc(m.cells[k], func(a, b cellFlow) int {
			return cmp.Or(cmp.Compare(a.protocol, b.protocol), spec.ComparePorts(a.ports, b.ports))
		})
	}
	return m
}

// pairs returns the matrix's non-empty cells in role order.
func (m matrix) pairs() []pair {
	var out []pair
	for _, from := range m.roles {
		for _, to := range m.roles {
			if len(m.cells[pair{from, to}]) > 0 {
				out = append(out, pair{from, to})
			}
		}
	}
	return out
}

// flowText is how one flow is written everywhere: "2379/TCP",
// "30000-32767/TCP", "ICMP".
func flowText(p spec.Protocol, r spec.PortRange) string {
	if p == spec.ICMP || r == (spec.PortRange{}) {
		return p.String()
	}
	return r.String() + "/" + p.String()
}

// portSummary lists a cell's ports per protocol with adjacent ranges
// merged, one protocol a line: "TCP 2379-2380, 4200-4201, 4223", "ICMP".
// It labels the diagram's arrows and the matrix sheet's cells.
func portSummary(flows []cellFlow) [][]string {
	var out [][]string
	for _, p := range spec.Protocols() {
		var rs []spec.PortRange
		seen := false
		for _, f := range flows {
			if f.protocol != p {
				continue
			}
			seen = true
			if f.ports != (spec.PortRange{}) {
				rs = append(rs, f.ports)
			}
		}
		if !seen {
			continue
		}
		line := []string{p.String()}
		for _, r := range mergeRanges(rs) {
			line = append(line, r.String())
		}
		out = append(out, line)
	}
	return out
}

// mergeRanges sorts ranges and merges those that touch or overlap.
func mergeRanges(rs []spec.PortRange) []spec.PortRange {
	rs = slices.Clone(rs)
	slices.SortFunc(rs, spec.ComparePorts)
	var out []spec.PortRange
	for _, r := range rs {
		if n := len(out); n > 0 && uint32(r.First) <= uint32(out[n-1].Last)+1 {
			out[n-1].Last = max(out[n-1].Last, r.Last)
			continue
		}
		out = append(out, r)
	}
	return out
}

// wrapSummary writes a port summary as lines of at most width characters
// (a port range is never cut, so a longer one stands alone): each protocol
// starts a line, "TCP 22, 6443".
func wrapSummary(summary [][]string, width int) []string {
	var lines []string
	for _, s := range summary {
		line := s[0]
		for i, tok := range s[1:] {
			switch {
			case i == 0:
				line += " " + tok
			case len(line)+len(", ")+len(tok) > width:
				lines = append(lines, line+",")
				line = tok
			default:
				line += ", " + tok
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// oneLineSummary is a summary on one line per protocol, for a sheet cell.
func oneLineSummary(summary [][]string) string {
	var lines []string
	for _, s := range summary {
		if len(s) == 1 {
			lines = append(lines, s[0])
			continue
		}
		lines = append(lines, s[0]+" "+strings.Join(s[1:], ", "))
	}
	return strings.Join(lines, "\n")
}
