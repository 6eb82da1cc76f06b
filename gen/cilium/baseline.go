package cilium

import "github.com/portspec/portspec/spec"

// BaselineRule is one rule that every generated policy set carries whatever
// the document says, because a Cilium host policy is default-deny for the
// nodes it selects: without these a partial or mistaken document would cut
// administrators off their nodes and break the cluster itself.
type BaselineRule struct {
	Subject Subject
	Egress  bool
	// Peers are Cilium entities.
	Peers []string
	// Protocol is TCP, UDP, ICMP (the configured types) or ANY (all ports
	// and protocols).
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

// Baseline is the must-allow set (docs/cilium.md, "Baseline", lists the
// same rows in a table).
// The egress rule is emitted only together with an egress policy: it keeps
// every in-cluster destination reachable once egress becomes default-deny.
var Baseline = []BaselineRule{
	{Nodes, false, []string{"host", "remote-node", "world"}, "TCP", ports([2]uint16{22, 22}),
		"SSH to every node, so that administrators and Deckhouse keep a way in"},
	{Nodes, false, []string{"host", "kube-apiserver", "remote-node"}, "TCP", ports([2]uint16{10250, 10250}),
		"kubelet API (logs, exec, port-forward, metrics) from the apiserver and nodes"},
	{Nodes, false, []string{"health", "remote-node"}, "TCP", ports([2]uint16{4240, 4240}),
		"cilium-health checks between nodes"},
	{Nodes, false, []string{"health", "remote-node"}, "ICMP", nil,
		"ICMP echo for cilium-health connectivity probes"},
	{Nodes, false, []string{"remote-node"}, "UDP", ports([2]uint16{8472, 8472}),
		"VXLAN tunnel between nodes (Cilium's default tunnel port)"},
	{Masters, false, []string{"cluster", "host", "remote-node", "world"}, "TCP", ports([2]uint16{6443, 6443}),
		"kube-apiserver: pods through the kubernetes Service, kubelets, administrators"},
	{Masters, false, []string{"host", "kube-apiserver", "remote-node"}, "TCP", ports([2]uint16{2379, 2380}),
		"etcd clients and peers between masters"},
	{Nodes, true, []string{"cluster"}, "ANY", nil,
		"all traffic from nodes to anything inside the cluster (nodes, pods, health endpoints)"},
}
