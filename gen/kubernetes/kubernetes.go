// Package kubernetes generates Kubernetes NetworkPolicies
// (networking.k8s.io/v1) for the few rows a NetworkPolicy governs: traffic
// from pods to the nodes' ports (Prometheus scraping the metrics ports,
// pods calling the kube-apiserver). Node-to-node and external rows are host
// traffic, which NetworkPolicy cannot see: they are reported as warnings
// (the Cilium target covers them).
package kubernetes

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "kubernetes"

// DefaultDir is the target's folder under the output root when the config
// names none.
const DefaultDir = "kubernetes"

// Generator is the Kubernetes target.
type Generator struct{}

// New returns the target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// selected is one row a policy opens.
type selected struct {
	group *spec.Group
	rule  *spec.Rule
}

// Generate implements gen.Generator.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	var opts Options
	if err := gen.DecodeOptions(Name, req.Options, &opts); err != nil {
		return nil, err
	}
	c, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	out := &gen.Output{}
	used := map[*spec.Rule]bool{}
	var unexpressible []string
	for _, p := range c.policies {
		var rows []selected
		for gi := range req.Doc.Groups {
			g := &req.Doc.Groups[gi]
			for ri := range g.Rules {
				r := &g.Rules[ri]
				if !wants(p.Rows, g, r) {
					continue
				}
				if r.Protocol == spec.ICMP {
					unexpressible = append(unexpressible, fmt.Sprintf("%s: %s ICMP (%s): NetworkPolicy has no ICMP", r.Pos, g.ID, gen.OneLine(r.Purpose())))
					continue
				}
				used[r] = true
				rows = append(rows, selected{g, r})
			}
		}
		if len(rows) == 0 {
			out.Warnings = append(out.Warnings, fmt.Sprintf("targets.kubernetes: policy %s/%s (rows: %s) selects no row of the document; not written", p.Namespace, p.Name, p.Rows))
			continue
		}
		data, err := c.render(req.Doc, p, rows)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, gen.File{Path: p.Namespace + "_" + p.Name + ".yaml", Data: data})
	}
	var hostOnly []string
	for gi := range req.Doc.Groups {
		g := &req.Doc.Groups[gi]
		for ri := range g.Rules {
			// ICMP rows a policy asked for are reported on their own below.
			if r := &g.Rules[ri]; !used[r] && !(r.Protocol == spec.ICMP && wantsAny(c, g, r)) {
				hostOnly = append(hostOnly, fmt.Sprintf("%s %s", g.ID, r.Label()))
			}
		}
	}
	if len(hostOnly) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %d rows are host traffic (node to node, or with the outside world) that no NetworkPolicy governs; they are not in generated NetworkPolicies (the cilium target enforces them): %s",
			req.Doc.Source, len(hostOnly), strings.Join(hostOnly, "; ")))
	}
	slices.Sort(unexpressible)
	out.Warnings = append(out.Warnings, slices.Compact(unexpressible)...)
	return out, nil
}

func wantsAny(c *config, g *spec.Group, r *spec.Rule) bool {
	for _, p := range c.policies {
		if wants(p.Rows, g, r) {
			return true
		}
	}
	return false
}

// wants says whether a policy of the given row kind opens a rule: only
// rows whose destination is a node (pods can reach it) qualify.
func wants(rows string, g *spec.Group, r *spec.Rule) bool {
	if !g.Known || g.Direction != spec.Ingress || g.To == spec.RoleExternal || g.To == spec.RoleUnknown {
		return false
	}
	switch rows {
	case "metrics":
		for _, p := range r.Purposes {
			if strings.Contains(strings.ToLower(p.Text), "metrics") {
				return true
			}
		}
	case "apiserver":
		if g.To != spec.RoleMaster || r.Protocol != spec.TCP {
			return false
		}
		for _, pr := range r.Ports {
			if pr.Contains(6443) {
				return true
			}
		}
	}
	return false
}

// render builds one NetworkPolicy and writes it with its header.
func (c *config) render(doc *spec.Document, p PolicyOptions, rows []selected) ([]byte, error) {
	// One egress rule per destination CIDR set, ports sorted and unique.
	type dest struct {
		cidrs []string
		ports map[[3]int32]bool
	}
	nodes := &dest{c.nodes, map[[3]int32]bool{}}
	masters := &dest{c.masters, map[[3]int32]bool{}}
	var b bytes.Buffer
	b.WriteString(gen.Header("#", doc))
	fmt.Fprintf(&b, "\n#\n# NetworkPolicy %s/%s: lets the pods it selects reach the nodes' ports below.\n", p.Namespace, p.Name)
	b.WriteString("# It governs pod traffic only: pods with hostNetwork: true are not affected by any\n")
	b.WriteString("# NetworkPolicy, and node-to-node traffic is left to the host firewall (cilium target).\n")
	b.WriteString("# Like every egress policy it makes the selected pods egress-isolated: apply it where\n")
	b.WriteString("# their egress is already restricted, or add policies for everything else they reach.\n#\n")
	for _, s := range rows {
		d := nodes
		if s.group.To == spec.RoleMaster {
			d = masters
		}
		for _, pr := range s.rule.Ports {
			d.ports[[3]int32{int32(s.rule.Protocol), int32(pr.First), int32(pr.Last)}] = true
		}
		fmt.Fprintf(&b, "# %s %s to %s: %s\n", s.group.ID, s.rule.Label(), s.group.To, gen.OneLine(s.rule.Purpose()))
	}
	np := networkingv1.NetworkPolicy{
		TypeMeta: metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: p.Name, Namespace: p.Namespace, Labels: map[string]string{
			"app.kubernetes.io/managed-by": "portspec",
		}},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: p.PodSelector},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
		},
	}
	for _, d := range []*dest{masters, nodes} {
		if len(d.ports) == 0 {
			continue
		}
		var r networkingv1.NetworkPolicyEgressRule
		for _, cidr := range d.cidrs {
			r.To = append(r.To, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: cidr}})
		}
		for _, k := range sortedKeys(d.ports) {
			proto := corev1.ProtocolTCP
			if spec.Protocol(k[0]) == spec.UDP {
				proto = corev1.ProtocolUDP
			}
			port := intstr.FromInt32(k[1])
			npp := networkingv1.NetworkPolicyPort{Protocol: &proto, Port: &port}
			if k[2] != k[1] {
				end := k[2]
				npp.EndPort = &end
			}
			r.Ports = append(r.Ports, npp)
		}
		np.Spec.Egress = append(np.Spec.Egress, r)
	}
	data, err := yaml.Marshal(np)
	if err != nil {
		return nil, fmt.Errorf("kubernetes: marshal %s: %w", p.Name, err)
	}
	b.WriteString("---\n")
	b.Write(data)
	return b.Bytes(), nil
}

func sortedKeys(m map[[3]int32]bool) [][3]int32 {
	ks := slices.Collect(maps.Keys(m))
	slices.SortFunc(ks, func(a, b [3]int32) int { return slices.Compare(a[:], b[:]) })
	return ks
}
