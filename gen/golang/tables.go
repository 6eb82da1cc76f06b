package golang

import (
	"slices"
	"sort"

	"github.com/portspec/portspec/spec"
)

// span is a stretch of ports of one protocol that the same rules (indices
// into model.rules, in document order) open. Spans of one protocol do not
// overlap and are sorted, so that Lookup is a binary search.
type span struct {
	proto       spec.Protocol
	first, last uint16
	rules       []int
}

// lookupRanges returns the ranges a rule covers for lookups: ICMP has no
// ports, so it covers all of them, 0-65535 (Lookup ignores the port for
// ICMP).
func lookupRanges(r *spec.Rule) []spec.PortRange {
	if r.Protocol == spec.ICMP {
		return []spec.PortRange{{First: 0, Last: 65535}}
	}
	return r.Ports
}

// spans cuts the port space of every protocol at the bounds of every range
// and records which rules cover each piece, merging neighbours covered by
// the same rules. Cost: n log n in the number of ranges, plus the size of
// the result.
func spans(rules []ruleInfo) []span {
	type event struct {
		proto spec.Protocol
		at    int // port where the change happens; a range ends at last+1
		rule  int
		start bool
	}
	var evs []event
	for i := range rules {
		r := rules[i].rule
		for _, pr := range lookupRanges(r) {
			evs = append(evs, event{r.Protocol, int(pr.First), i, true}, event{r.Protocol, int(pr.Last) + 1, i, false})
		}
	}
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.proto != b.proto {
			return a.proto < b.proto
		}
		return a.at < b.at
	})
	var out []span
	active := map[int]int{}
	for i := 0; i < len(evs); {
		proto, at := evs[i].proto, evs[i].at
		for ; i < len(evs) && evs[i].proto == proto && evs[i].at == at; i++ {
			if evs[i].start {
				active[evs[i].rule]++
			} else if active[evs[i].rule]--; active[evs[i].rule] == 0 {
				delete(active, evs[i].rule)
			}
		}
		if len(active) == 0 || i == len(evs) || evs[i].proto != proto {
			continue
		}
		set := make([]int, 0, len(active))
		for r := range active {
			set = append(set, r)
		}
		sort.Ints(set)
		s := span{proto: proto, first: uint16(at), last: uint16(evs[i].at - 1), rules: set}
		if n := len(out); n > 0 && out[n-1].proto == proto && int(out[n-1].last)+1 == at && slices.Equal(out[n-1].rules, set) {
			out[n-1].last = s.last
			continue
		}
		out = append(out, s)
	}
	return out
}

// byGroupOrder returns rule indices sorted by group (stable: document order
// within a group) and, per Group value, the [lo, hi) of its rules there.
func byGroupOrder(m *model) (order []int, bounds [][2]int) {
	order = make([]int, len(m.rules))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		return m.rules[order[i]].group.value < m.rules[order[j]].group.value
	})
	bounds = make([][2]int, len(m.groups)+1)
	for pos, ri := range order {
		v := m.rules[ri].group.value
		if bounds[v][1] == 0 {
			bounds[v][0] = pos
		}
		bounds[v][1] = pos + 1
	}
	return order, bounds
}

// covers is the generated package's role matching, at generation time, for
// the examples (whose output the package's own test then checks).
func covers(rule, actual spec.Role) bool {
	return rule != spec.RoleUnknown && (rule == actual || rule == spec.RoleNode && (actual == spec.RoleMaster || actual == spec.RoleFrontend))
}
