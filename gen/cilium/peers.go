package cilium

import (
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

// peerKind is the field of a rule that names its peer.
type peerKind int

const (
	byEntities  peerKind = iota // fromEntities / toEntities
	byEndpoints                 // fromEndpoints: pods, by namespace and labels
	byCIDRs                     // fromCIDRSet / toCIDRSet
	byNodes                     // fromNodes: nodes by label (enable-node-selector-labels)
)

// peer is the one kind of peer of a rule. Cilium lets a rule name several
// kinds; portspec keeps one per rule, so that every rule reads as one kind
// of client and can be checked on its own.
type peer struct {
	kind     peerKind
	entities []string      // sorted
	selector ccnp.Selector // byEndpoints, byNodes
	cidrs    []string      // sorted
}

// key orders and merges peers: rules with the same key are one rule.
func (p peer) key() string {
	switch p.kind {
	case byEntities:
		return "0e:" + strings.Join(p.entities, ",")
	case byEndpoints:
		return "1p:" + selectorKey(p.selector)
	case byCIDRs:
		return "2c:" + strings.Join(p.cidrs, ",")
	}
	return "3n:" + selectorKey(p.selector)
}

func selectorKey(s ccnp.Selector) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(s.MatchLabels)) {
		b.WriteString(k + "=" + s.MatchLabels[k] + ",")
	}
	for _, r := range s.MatchExpressions {
		b.WriteString(r.Key + " " + r.Operator)
		if len(r.Values) > 0 {
			b.WriteString(" " + strings.Join(r.Values, "|"))
		}
		b.WriteString(",")
	}
	return b.String()
}

// String is the peer as the policies' comments name it.
func (p peer) String() string {
	switch p.kind {
	case byEntities:
		return "entities " + strings.Join(p.entities, ", ")
	case byEndpoints:
		return "pods " + strings.TrimSuffix(selectorKey(p.selector), ",")
	case byCIDRs:
		return "CIDRs " + strings.Join(p.cidrs, ", ")
	}
	return "nodes " + strings.TrimSuffix(selectorKey(p.selector), ",")
}

// namespaceLabel is the label Cilium gives every pod's identity: the pod's
// namespace (pkg/k8s/apis/cilium.io constants, PodNamespaceLabel), with
// the k8s source.
const namespaceLabel = "k8s:io.kubernetes.pod.namespace"

// podSelector selects the pods of a Pod client. Any pod is every identity
// that has a namespace: pods, never the reserved identities (host,
// remote-node, world, health), which an empty selector would match too.
func podSelector(c clients.Client) ccnp.Selector {
	s := ccnp.Selector{MatchLabels: map[string]string{}}
	if c.Namespace != "" {
		s.MatchLabels[namespaceLabel] = c.Namespace
	} else {
		s.MatchExpressions = []ccnp.Requirement{{Key: namespaceLabel, Operator: "Exists"}}
	}
	for k, v := range c.Labels {
		s.MatchLabels["k8s:"+k] = v
	}
	if len(s.MatchLabels) == 0 {
		s.MatchLabels = nil
	}
	return s
}

// peersOf turns the clients of one row into the peers of its rules, for
// ingress. The mapping is Cilium's identity model (docs/enforcement-facts.md,
// 1 and 2):
//
//	host of masters     kube-apiserver (identity 7: the masters' addresses)
//	                    or fromNodes with the masters selector (nodeSelectorLabels)
//	host of any node    remote-node (which matches masters too)
//	host of frontends   remote-node, or fromNodes with the frontends selector
//	                    (an entity cannot tell a frontend from another node)
//	any host client     + host: the node itself (local traffic is not
//	                    filtered, but host-network clients are named)
//	pods                fromEndpoints: their namespace and labels; they keep
//	                    their own identity to a node's address in every
//	                    Deckhouse routing mode
//	world               world
//	joining nodes       fromCIDRSet nodeCIDRs, else world: a node that has
//	                    not registered has no node identity yet
//
// notes says what the mapping had to widen.
func (c *config) peersOf(row clients.Row) (peers []peer, notes []string) {
	ents := map[string]bool{}
	for _, cl := range row.Clients {
		switch cl.Kind {
		case clients.Host:
			ents["host"] = true
			for _, r := range cl.Roles {
				switch {
				case r == spec.RoleMaster && c.nodeSel:
					peers = append(peers, peer{kind: byNodes, selector: ccnp.Selector{MatchLabels: maps.Clone(c.selectors[Masters])}})
				case r == spec.RoleMaster:
					ents["kube-apiserver"] = true
				case r == spec.RoleFrontend && c.nodeSel:
					peers = append(peers, peer{kind: byNodes, selector: ccnp.Selector{MatchLabels: maps.Clone(c.selectors[Frontends])}})
				case r == spec.RoleFrontend:
					ents["remote-node"] = true
					notes = append(notes, "frontends' host processes: remote-node, every node (an entity cannot tell a frontend from another node; nodeSelectorLabels can)")
				default:
					ents["remote-node"] = true
				}
			}
		case clients.Pod:
			peers = append(peers, peer{kind: byEndpoints, selector: podSelector(cl)})
		case clients.World:
			ents["world"] = true
		case clients.Joining:
			if len(c.nodeCIDRs) > 0 {
				peers = append(peers, peer{kind: byCIDRs, cidrs: slices.Sorted(slices.Values(c.nodeCIDRs))})
			} else {
				ents["world"] = true
				notes = append(notes, "joining nodes: world, as an unregistered node has no node identity (set nodeCIDRs to open it to the node networks only)")
			}
		}
	}
	if len(ents) > 0 {
		peers = append([]peer{{kind: byEntities, entities: slices.Sorted(maps.Keys(ents))}}, peers...)
	}
	sort.SliceStable(peers, func(i, j int) bool { return peers[i].key() < peers[j].key() })
	return peers, notes
}
