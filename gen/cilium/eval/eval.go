// Package eval computes, without a cluster, which flows a set of Cilium
// host-firewall policies allows: it plays the policies against a model
// cluster of one master, one frontend and one plain worker node (carrying
// the labels the caller says those roles carry), the world outside, pods
// and Cilium's health endpoints. It reads the policies back from the YAML
// the generator wrote, so it checks what a cluster would receive, and it
// refuses any construct whose meaning it does not model instead of guessing.
package eval

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/spec"
)

// Party is one side of a flow.
type Party string

const (
	Master   Party = "master"
	Frontend Party = "frontend"
	Worker   Party = "worker" // a node that is neither master nor frontend
	External Party = "external"
	Pods     Party = "pods"
	Health   Party = "health"
)

// NodeParties are the node kinds of the model cluster.
var NodeParties = []Party{Master, Frontend, Worker}

// Cluster says which labels the model's master and frontend nodes carry (the
// worker carries none), so that node selectors can be matched.
type Cluster struct {
	Masters   map[string]string
	Frontends map[string]string
}

func (c Cluster) labels(p Party) map[string]string {
	switch p {
	case Master:
		return c.Masters
	case Frontend:
		return c.Frontends
	}
	return nil
}

func (c Cluster) matches(sel *ccnp.Selector, p Party) bool {
	lbl := c.labels(p)
	for k, v := range sel.MatchLabels {
		if got, ok := lbl[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// Flow is traffic the policies allow. Protocol is TCP, UDP, ICMPv4,
// ICMPv6 (Ports then holds ICMP types) or ANY (Ports 0-65535).
type Flow struct {
	From, To Party
	Protocol string
	Ports    spec.PortRange
}

func (f Flow) String() string {
	return fmt.Sprintf("%s->%s %s/%s", f.From, f.To, f.Protocol, f.Ports)
}

// Evaluate returns the flows the policies allow, normalized (see Normalize).
// Ingress rules are the policies' view of what a selected node accepts;
// egress rules what it may send. Flows the policies do not mention are not
// reported (for a node no policy selects everything is allowed: the caller
// compares against what it expects to be open, not against a closed world).
func Evaluate(pols []ccnp.Policy, c Cluster) ([]Flow, error) {
	var flows []Flow
	for _, p := range pols {
		if p.Spec.NodeSelector == nil {
			return nil, fmt.Errorf("%s: no nodeSelector: not a host policy", p.Metadata.Name)
		}
		for _, self := range NodeParties {
			if !c.matches(p.Spec.NodeSelector, self) {
				continue
			}
			for i, r := range p.Spec.Ingress {
				fs, err := c.rule(self, r.FromEntities, r.FromNodes, r.ToPorts, r.ICMPs, false)
				if err != nil {
					return nil, fmt.Errorf("%s: ingress[%d]: %w", p.Metadata.Name, i, err)
				}
				flows = append(flows, fs...)
			}
			for i, r := range p.Spec.Egress {
				fs, err := c.rule(self, r.ToEntities, r.ToNodes, r.ToPorts, r.ICMPs, true)
				if err != nil {
					return nil, fmt.Errorf("%s: egress[%d]: %w", p.Metadata.Name, i, err)
				}
				flows = append(flows, fs...)
			}
		}
	}
	return Normalize(flows), nil
}

func (c Cluster) rule(self Party, ents []string, nodes []ccnp.Selector, toPorts []ccnp.PortRule, icmps []ccnp.ICMPRule, egress bool) ([]Flow, error) {
	if len(ents) > 0 && len(nodes) > 0 {
		return nil, fmt.Errorf("entities and nodes in one rule")
	}
	if len(ents) == 0 && len(nodes) == 0 {
		return nil, fmt.Errorf("no peer: portspec never emits a rule without one")
	}
	if len(toPorts) > 0 && len(icmps) > 0 {
		return nil, fmt.Errorf("toPorts and icmps in one rule")
	}
	var peers []Party
	for _, e := range ents {
		ps, err := entityParties(e, self)
		if err != nil {
			return nil, err
		}
		peers = append(peers, ps...)
	}
	for i := range nodes {
		for _, n := range NodeParties {
			if c.matches(&nodes[i], n) {
				peers = append(peers, n)
			}
		}
	}
	type svc struct {
		proto string
		r     spec.PortRange
	}
	var svcs []svc
	switch {
	case len(toPorts) > 0:
		for _, pr := range toPorts {
			if len(pr.Ports) == 0 || len(pr.Ports) > ccnp.MaxPorts {
				return nil, fmt.Errorf("toPorts with %d ports (want 1-%d)", len(pr.Ports), ccnp.MaxPorts)
			}
			for _, pp := range pr.Ports {
				if pp.Protocol != "TCP" && pp.Protocol != "UDP" {
					return nil, fmt.Errorf("protocol %q: want TCP or UDP", pp.Protocol)
				}
				port, err := strconv.Atoi(pp.Port)
				if err != nil || port < 1 || port > 65535 {
					// "0" would mean every port; names need the pod spec.
					return nil, fmt.Errorf("port %q: want a number 1-65535", pp.Port)
				}
				last := port
				if pp.EndPort != 0 {
					if int(pp.EndPort) < port || pp.EndPort > 65535 {
						return nil, fmt.Errorf("endPort %d below port %d or above 65535", pp.EndPort, port)
					}
					last = int(pp.EndPort)
				}
				svcs = append(svcs, svc{pp.Protocol, spec.PortRange{First: uint16(port), Last: uint16(last)}})
			}
		}
	case len(icmps) > 0:
		for _, ir := range icmps {
			if len(ir.Fields) == 0 || len(ir.Fields) > ccnp.MaxPorts {
				return nil, fmt.Errorf("icmps with %d fields (want 1-%d)", len(ir.Fields), ccnp.MaxPorts)
			}
			for _, f := range ir.Fields {
				if (f.Family != "IPv4" && f.Family != "IPv6") || f.Type < 0 || f.Type > 255 {
					return nil, fmt.Errorf("icmp field %s %d", f.Family, f.Type)
				}
				t := uint16(f.Type)
				svcs = append(svcs, svc{"ICMP" + f.Family[2:], spec.PortRange{First: t, Last: t}})
			}
		}
	default:
		svcs = append(svcs, svc{"ANY", spec.PortRange{First: 0, Last: 65535}})
	}
	var out []Flow
	for _, p := range peers {
		for _, s := range svcs {
			f := Flow{From: p, To: self, Protocol: s.proto, Ports: s.r}
			if egress {
				f.From, f.To = self, p
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// entityParties maps a Cilium entity to the parties it stands for, seen from
// the node self. remote-node is every node kind (there may be other nodes of
// self's kind); kube-apiserver is the masters.
func entityParties(e string, self Party) ([]Party, error) {
	switch e {
	case "host":
		return []Party{self}, nil
	case "remote-node":
		return NodeParties, nil
	case "kube-apiserver":
		return []Party{Master}, nil
	case "world":
		return []Party{External}, nil
	case "health":
		return []Party{Health}, nil
	case "cluster":
		return append(append([]Party{}, NodeParties...), Pods, Health), nil
	case "all":
		return append(append([]Party{}, NodeParties...), Pods, Health, External), nil
	}
	return nil, fmt.Errorf("entity %q is not modelled by the evaluator", e)
}

// Normalize sorts flows and merges, per (from, to, protocol), port ranges
// that overlap or touch, so two sets of flows that allow the same traffic
// are equal whatever their rule layout.
func Normalize(fs []Flow) []Flow {
	fs = append([]Flow(nil), fs...)
	// Not spec.SortFlows: these flows run between parties (pods, health)
	// that are no spec.Role, and carry no group.
	slices.SortFunc(fs, func(a, b Flow) int {
		return cmp.Or(
			cmp.Compare(a.From, b.From),
			cmp.Compare(a.To, b.To),
			cmp.Compare(a.Protocol, b.Protocol),
			spec.ComparePorts(a.Ports, b.Ports),
		)
	})
	var out []Flow
	for _, f := range fs {
		if n := len(out); n > 0 {
			l := &out[n-1]
			if l.From == f.From && l.To == f.To && l.Protocol == f.Protocol && int(f.Ports.First) <= int(l.Ports.Last)+1 {
				l.Ports.Last = max(l.Ports.Last, f.Ports.Last)
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
