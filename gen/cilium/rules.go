package cilium

import (
	"slices"
	"strconv"

	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/spec"
)

// entry is what one row (or baseline rule) opens to one peer.
type entry struct {
	peer  peer
	proto string // TCP, UDP, ICMP or ANY (every port and protocol)
	ports []spec.PortRange
}

// rule is one ingress or egress rule before it gets its direction: one
// peer and either ports, ICMP types, or nothing (all traffic).
type rule struct {
	peer    peer
	toPorts []ccnp.PortRule
	icmps   []ccnp.ICMPRule
}

type portKey struct {
	proto       string
	first, last uint16
}

func comparePortKeys(a, b portKey) int {
	switch {
	case a.proto != b.proto:
		if a.proto < b.proto {
			return -1
		}
		return 1
	case a.first != b.first:
		return int(a.first) - int(b.first)
	}
	return int(a.last) - int(b.last)
}

// peerSet gathers what one peer may reach.
type peerSet struct {
	peer  peer
	ports []portKey
	icmp  bool
	any   bool
}

// rules turns entries into rules: entries with the same peer are merged,
// ICMP and ports get separate rules, ports another entry covers are
// dropped, and port lists are split at ccnp.MaxPorts. Peers come out in
// key order, so the output does not depend on the document's order.
func (c *config) rules(entries []entry) []rule {
	sets := map[string]*peerSet{}
	for _, e := range entries {
		s := sets[e.peer.key()]
		if s == nil {
			s = &peerSet{peer: e.peer}
			sets[e.peer.key()] = s
		}
		c.add(s, e)
	}
	var out []rule
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range sets {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, c.rulesOf(sets[k])...)
	}
	return out
}

// add records what an entry opens; with ranges: expand a range becomes
// one entry per port.
func (c *config) add(s *peerSet, e entry) {
	switch e.proto {
	case "ANY":
		s.any = true
	case "ICMP":
		s.icmp = true
	default:
		for _, pr := range e.ports {
			if !pr.Single() && c.ranges == "expand" {
				for p := int(pr.First); p <= int(pr.Last); p++ {
					s.ports = append(s.ports, portKey{e.proto, uint16(p), uint16(p)})
				}
				continue
			}
			s.ports = append(s.ports, portKey{e.proto, pr.First, pr.Last})
		}
	}
}

// rulesOf writes one peer's rules: all traffic, or its ports in lists of
// at most ccnp.MaxPorts, then its ICMP types.
func (c *config) rulesOf(s *peerSet) []rule {
	if s.any {
		// All traffic to this peer: port and ICMP rules would add nothing.
		return []rule{{peer: s.peer}}
	}
	var out []rule
	pks := dropCovered(s.ports)
	for len(pks) > 0 {
		n := min(len(pks), ccnp.MaxPorts)
		var pp []ccnp.PortProtocol
		for _, pk := range pks[:n] {
			x := ccnp.PortProtocol{Port: strconv.Itoa(int(pk.first)), Protocol: pk.proto}
			if pk.last != pk.first {
				x.EndPort = int32(pk.last)
			}
			pp = append(pp, x)
		}
		pks = pks[n:]
		out = append(out, rule{peer: s.peer, toPorts: []ccnp.PortRule{{Ports: pp}}})
	}
	if s.icmp {
		var fs []ccnp.ICMPField
		for _, t := range c.icmp {
			fs = append(fs, ccnp.ICMPField{Family: t.Family, Type: t.Type})
		}
		for len(fs) > 0 {
			n := min(len(fs), ccnp.MaxPorts)
			out = append(out, rule{peer: s.peer, icmps: []ccnp.ICMPRule{{Fields: fs[:n]}}})
			fs = fs[n:]
		}
	}
	return out
}

// dropCovered sorts port entries and removes those another entry of the
// same protocol covers (2379 and 2380 next to 2379-2380), so that rows
// repeating a port do not repeat it in the policy. One pass over the
// sorted entries: an entry is covered when the widest range seen so far of
// its protocol reaches past it (sorting puts a covering range, which starts
// at or before it, first).
func dropCovered(pks []portKey) []portKey {
	pks = slices.Clone(pks)
	slices.SortFunc(pks, func(a, b portKey) int {
		if a.proto != b.proto || a.first != b.first {
			return comparePortKeys(a, b)
		}
		return int(b.last) - int(a.last) // the wider range first
	})
	var out []portKey
	for _, pk := range pks {
		if n := len(out); n > 0 {
			last := out[n-1]
			if last.proto == pk.proto && last.first <= pk.first && pk.last <= last.last {
				continue
			}
		}
		out = append(out, pk)
	}
	return out
}

// ingress and egress give a rule its direction.
func (r rule) ingress() ccnp.IngressRule {
	in := ccnp.IngressRule{ToPorts: r.toPorts, ICMPs: r.icmps}
	switch r.peer.kind {
	case byEntities:
		in.FromEntities = r.peer.entities
	case byEndpoints:
		in.FromEndpoints = []ccnp.Selector{r.peer.selector}
	case byCIDRs:
		in.FromCIDRSet = cidrRules(r.peer.cidrs)
	case byNodes:
		in.FromNodes = []ccnp.Selector{r.peer.selector}
	}
	return in
}

func (r rule) egress() ccnp.EgressRule {
	out := ccnp.EgressRule{ToPorts: r.toPorts, ICMPs: r.icmps}
	switch r.peer.kind {
	case byEntities:
		out.ToEntities = r.peer.entities
	case byCIDRs:
		out.ToCIDRSet = cidrRules(r.peer.cidrs)
	case byNodes:
		out.ToNodes = []ccnp.Selector{r.peer.selector}
	}
	return out
}

func cidrRules(cidrs []string) []ccnp.CIDRRule {
	out := make([]ccnp.CIDRRule, len(cidrs))
	for i, c := range cidrs {
		out[i] = ccnp.CIDRRule{CIDR: c}
	}
	return out
}
