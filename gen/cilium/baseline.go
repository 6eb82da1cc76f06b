package cilium

import (
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/spec"
)

// BaselineRule is one rule that the generated policies carry whatever the
// document says, because a Cilium host policy is default-deny for the
// nodes it selects: without these a partial or mistaken document would cut
// the cluster's own life lines. They go into policies of their own
// (baseline.yaml) that never use fromNodes, so that an agent rejecting the
// document's policies (docs/enforcement-facts.md, 7) still loads them.
type BaselineRule struct {
	Subject Subject
	// Peer is who is let in: entities, or pods.
	Entities []string
	AnyPod   bool
	// Protocol is TCP, UDP or ICMP (the configured types).
	Protocol string
	Ports    []spec.PortRange
	Why      string
}

func ports(rs ...[2]uint16) []spec.PortRange {
	var out []spec.PortRange
	for _, r := range rs {
		out = append(out, spec.PortRange{First: r[0], Last: r[1]})
	}
	return out
}

// Baseline returns the must-allow rules for a document (a new slice each
// call); docs/cilium.md lists them with their sources. Tunnel ports are
// the configured ones, else the document's, else Deckhouse's known set.
func (c *config) Baseline(docTunnel []spec.PortRange) []BaselineRule {
	tunnel := c.tunnelPorts
	if len(tunnel) == 0 {
		tunnel = docTunnel
	}
	if len(tunnel) == 0 {
		tunnel = deckhouseTunnelPorts()
	}
	rules := []BaselineRule{
		{Subject: Masters, Entities: []string{"host", "remote-node"}, Protocol: "TCP", Ports: ports([2]uint16{6443, 6443}),
			Why: "kube-apiserver from every node's kubelet and host agents (remote-node matches the masters too)"},
		{Subject: Masters, AnyPod: true, Protocol: "TCP", Ports: ports([2]uint16{6443, 6443}),
			Why: "kube-apiserver from every pod: the kubernetes Service is translated at the pod's socket, so the packet reaches the master with the pod's identity"},
		{Subject: Masters, Entities: []string{"host", "kube-apiserver"}, Protocol: "TCP", Ports: ports([2]uint16{2379, 2380}),
			Why: "etcd clients and peers: kube-apiserver and etcd on the masters only (kube-apiserver is the masters' identity)"},
		{Subject: Nodes, Entities: []string{"host", "kube-apiserver"}, Protocol: "TCP", Ports: ports([2]uint16{10250, 10250}),
			Why: "kubelet API from kube-apiserver (logs, exec, port-forward)"},
		{Subject: Nodes, Entities: []string{"health", "remote-node"}, Protocol: "TCP", Ports: ports([2]uint16{4240, 4240}),
			Why: "cilium-health probes between nodes"},
		{Subject: Nodes, Entities: []string{"health", "remote-node"}, Protocol: "ICMP",
			Why: "ICMP echo of the cilium-health probes"},
		{Subject: Nodes, Entities: []string{"remote-node"}, Protocol: "UDP", Ports: tunnel,
			Why: "the VXLAN tunnel between nodes (the outer packets are addressed to the node)"},
	}
	switch c.sshFromWorld {
	case "masters":
		rules = append(rules, BaselineRule{Subject: Masters, Entities: []string{"world"}, Protocol: "TCP", Ports: ports([2]uint16{22, 22}),
			Why: "SSH to the masters from anywhere, as the page says (ExternalToMaster): the way back in (sshFromWorld: masters)"})
	case "all":
		rules = append(rules, BaselineRule{Subject: Nodes, Entities: []string{"world"}, Protocol: "TCP", Ports: ports([2]uint16{22, 22}),
			Why: "SSH to every node from anywhere: the way back in (sshFromWorld: all; the page opens it on masters only)"})
	}
	return rules
}

func (b BaselineRule) peer() peer {
	if b.AnyPod {
		return peer{kind: byEndpoints, selector: ccnp.Selector{MatchExpressions: []ccnp.Requirement{{Key: namespaceLabel, Operator: "Exists"}}}}
	}
	return peer{kind: byEntities, entities: b.Entities}
}

// egressBaseline is what every node must be able to send once host
// egress is default-deny (Options.Egress): DHCP, the cloud's metadata
// service, DNS, NTP, and everything inside the cluster (host egress also
// covers host to pod traffic: kubelet probes, the apiserver's webhooks).
func egressBaseline() []egressRule {
	return []egressRule{
		{peer{kind: byEntities, entities: []string{"cluster"}}, "ANY", nil, "everything inside the cluster: nodes, pods, kube-apiserver, health"},
		{peer{kind: byEntities, entities: []string{"world"}}, "UDP", ports([2]uint16{67, 67}), "DHCP requests (to 255.255.255.255 or the server: world)"},
		{peer{kind: byCIDRs, cidrs: []string{"169.254.169.254/32"}}, "TCP", ports([2]uint16{80, 80}), "the cloud's instance metadata service"},
		{peer{kind: byEntities, entities: []string{"world"}}, "UDP", ports([2]uint16{53, 53}, [2]uint16{123, 123}), "DNS and NTP servers outside the cluster"},
		{peer{kind: byEntities, entities: []string{"world"}}, "TCP", ports([2]uint16{53, 53}), "DNS over TCP"},
	}
}

type egressRule struct {
	peer  peer
	proto string
	ports []spec.PortRange
	why   string
}
