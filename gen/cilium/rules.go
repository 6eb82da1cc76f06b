package cilium

import (
	"sort"
	"strconv"
	"strings"

	"github.com/portspec/portspec/gen/cilium/ccnp"
)

// rule is one ingress or egress rule before it gets its direction: one kind
// of peer (entities, or one node selector) and either ports, ICMP types, or
// nothing (all traffic).
type rule struct {
	entities []string
	nodes    []ccnp.Selector
	toPorts  []ccnp.PortRule
	icmps    []ccnp.ICMPRule
}

type portKey struct {
	proto       string
	first, last uint16
}

// peerSet gathers what one peer set may reach.
type peerSet struct {
	ports map[portKey]bool
	icmp  bool
	any   bool
}

// rules turns entries into rules: entries with the same peers are merged,
// each peer kind gets its own rules (Cilium ANDs nothing across peer kinds,
// but keeping them apart keeps every rule readable and checkable), ICMP and
// ports get separate rules, and port lists are split at ccnp.MaxPorts.
func (c *config) rules(entries []entry) []rule {
	sets := map[string]*peerSet{}
	add := func(key string, e entry) {
		s := sets[key]
		if s == nil {
			s = &peerSet{ports: map[portKey]bool{}}
			sets[key] = s
		}
		switch e.proto {
		case "ANY":
			s.any = true
		case "ICMP":
			s.icmp = true
		default:
			for _, pr := range e.ports {
				if !pr.Single() && c.ranges == "expand" {
					for p := int(pr.First); p <= int(pr.Last); p++ {
						s.ports[portKey{e.proto, uint16(p), uint16(p)}] = true
					}
					continue
				}
				s.ports[portKey{e.proto, pr.First, pr.Last}] = true
			}
		}
	}
	for _, e := range entries {
		var ents []string
		for _, p := range e.peers {
			if sel, ok := strings.CutPrefix(p, "nodes:"); ok {
				add("n:"+sel, e)
				continue
			}
			ents = append(ents, p)
		}
		if len(ents) > 0 {
			sort.Strings(ents)
			add("e:"+strings.Join(ents, ","), e)
		}
	}
	keys := make([]string, 0, len(sets))
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []rule
	for _, k := range keys {
		s := sets[k]
		peer := rule{}
		if sel, ok := strings.CutPrefix(k, "n:"); ok {
			peer.nodes = []ccnp.Selector{c.peerSelector(sel)}
		} else {
			peer.entities = strings.Split(strings.TrimPrefix(k, "e:"), ",")
		}
		if s.any {
			// All traffic to this peer: the port and ICMP rules would add
			// nothing.
			out = append(out, peer)
			continue
		}
		pks := make([]portKey, 0, len(s.ports))
		for pk := range s.ports {
			pks = append(pks, pk)
		}
		sort.Slice(pks, func(i, j int) bool {
			a, b := pks[i], pks[j]
			if a.proto != b.proto {
				return a.proto < b.proto
			}
			if a.first != b.first {
				return a.first < b.first
			}
			return a.last < b.last
		})
		pks = dropCovered(pks)
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
			r := peer
			r.toPorts = []ccnp.PortRule{{Ports: pp}}
			out = append(out, r)
		}
		if s.icmp {
			var fs []ccnp.ICMPField
			for _, t := range c.icmp {
				fs = append(fs, ccnp.ICMPField{Family: t.Family, Type: t.Type})
			}
			for len(fs) > 0 {
				n := min(len(fs), ccnp.MaxPorts)
				r := peer
				r.icmps = []ccnp.ICMPRule{{Fields: fs[:n]}}
				fs = fs[n:]
				out = append(out, r)
			}
		}
	}
	return out
}

// peerSelector is the fromNodes selector of "nodes:<sel>".
func (c *config) peerSelector(sel string) ccnp.Selector {
	switch sel {
	case "masters":
		return ccnp.Selector{MatchLabels: c.selectors[Masters]}
	case "frontends":
		return ccnp.Selector{MatchLabels: c.selectors[Frontends]}
	}
	return ccnp.Selector{}
}

// dropCovered removes port entries that another entry of the same protocol
// already covers (2379 and 2380 next to 2379-2380), so that rows repeating
// a port do not repeat it in the policy. pks is sorted.
func dropCovered(pks []portKey) []portKey {
	var out []portKey
	for i, a := range pks {
		covered := false
		for j, b := range pks {
			if i != j && a.proto == b.proto && b.first <= a.first && a.last <= b.last && (a != b || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, a)
		}
	}
	return out
}
