package hostfw

import (
	"fmt"
	"slices"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

// Set names an address set of the rulesets (master_v4, pod_v6, …) and a
// key of the Ansible vars.
type Set string

// The address sets. SetNode is the union of every cluster role's
// addresses: masters and frontends are nodes too.
const (
	SetMaster   Set = "master"
	SetNode     Set = "node"
	SetFrontend Set = "frontend"
	// SetPod is the pod subnets (option podCIDRs).
	SetPod Set = "pod"
	// SetExternal is the outside world (cidrs.external, default anybody).
	SetExternal Set = "external"
)

// SetNames returns every address set in output order (a new slice each
// call); the trusted set comes after them.
func SetNames() []Set { return []Set{SetMaster, SetNode, SetFrontend, SetPod, SetExternal} }

// sources turns a row's real clients (gen/clients) into the address sets a
// host firewall can match, in SetNames order:
//
//   - host processes of a role send from the node's address: that role's set;
//   - pods send from their pod address (unless masqueraded, and then from
//     a node's address, which the row's host clients cover or not): the pod
//     set, for any namespace and labels, because a host firewall sees
//     addresses only;
//   - the world is the external set;
//   - a joining node is not registered yet but its address is inside the
//     node networks: the node set.
//
// No service subnet is ever a source: Service IPs are destinations, and
// what reaches a node after translation carries the pod's or the node's
// address.
func sources(row clients.Row) []Set {
	var out []Set
	add := func(s Set) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, c := range row.Clients {
		switch c.Kind {
		case clients.Host:
			for _, r := range c.Roles {
				add(Set(RoleName(r)))
			}
		case clients.Pod:
			add(SetPod)
		case clients.World:
			add(SetExternal)
		case clients.Joining:
			add(SetNode)
		}
	}
	order := SetNames()
	slices.SortFunc(out, func(a, b Set) int { return slices.Index(order, a) - slices.Index(order, b) })
	return out
}

// describe writes a row's clients for a comment: one line, whatever an
// entry of portspec.yaml may hold.
func describe(row clients.Row) []string {
	out := make([]string, 0, len(row.Clients))
	for _, c := range row.Clients {
		out = append(out, gen.OneLine(c.String()))
	}
	return out
}

// nodePortRange is Kubernetes' default Service node port range
// (kube-apiserver --service-node-port-range), the one the document lists.
var nodePortRange = spec.PortRange{First: 30000, Last: 32767}

// nodePortNotes are the comment lines of an ingress rule that opens node
// ports: what really governs that traffic depends on the Service proxy,
// and the input chain sees only part of it.
func nodePortNotes(r Rule) []string {
	if r.Direction != spec.Ingress || r.Protocol == spec.ICMP {
		return nil
	}
	for _, p := range r.Ports {
		if p.First <= nodePortRange.Last && nodePortRange.First <= p.Last {
			return []string{
				fmt.Sprintf("NodePorts (%s): what governs them depends on the Service proxy; this input rule sees part of it.", nodePortRange),
				"kube-proxy, iptables mode: the NodePort is DNATed in PREROUTING and a pod backend is reached through FORWARD,",
				"so this rule governs only host-network backends and the health-check node port of externalTrafficPolicy: Local.",
				"kube-proxy, IPVS mode: IPVS takes the packet in INPUT after the filter chains, so this rule governs it.",
				"Cilium's kube-proxy replacement (Deckhouse's default) serves NodePorts in eBPF before netfilter: this rule never sees them.",
			}
		}
	}
	return nil
}
