package spec

import (
	"cmp"
	"fmt"
	"slices"
)

// Flow is one thing the document allows: traffic of one protocol to one port
// range from one role to another, as a group states it. ICMP flows have the
// zero PortRange.
type Flow struct {
	Group    string
	From     Role
	To       Role
	Protocol Protocol
	Ports    PortRange
}

func (f Flow) String() string {
	ports := f.Ports.String()
	if f.Protocol == ICMP {
		ports = "-"
	}
	return fmt.Sprintf("%s %s->%s %s/%s", f.Group, f.From, f.To, f.Protocol, ports)
}

// Flows returns every flow of the document, one per (rule, port range),
// sorted and without repeats. Two documents that open the same ports between
// the same roles have equal flows, whatever their format or wording.
func (d *Document) Flows() []Flow {
	var fs []Flow
	for _, g := range d.Groups {
		for _, r := range g.Rules {
			if len(r.Ports) == 0 {
				fs = append(fs, Flow{g.ID, g.From, g.To, r.Protocol, PortRange{}})
				continue
			}
			for _, p := range r.Ports {
				fs = append(fs, Flow{g.ID, g.From, g.To, r.Protocol, p})
			}
		}
	}
	SortFlows(fs)
	out := fs[:0]
	for i, f := range fs {
		if i > 0 && f == fs[i-1] {
			continue
		}
		out = append(out, f)
	}
	return out
}

// SortFlows sorts flows by group, roles, protocol and ports.
func SortFlows(fs []Flow) {
	slices.SortFunc(fs, func(a, b Flow) int {
		return cmp.Or(
			cmp.Compare(a.Group, b.Group),
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
			cmp.Compare(a.Protocol, b.Protocol),
			ComparePorts(a.Ports, b.Ports),
		)
	})
}
