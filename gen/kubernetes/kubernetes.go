// Package kubernetes generates pod-egress policies for the rows whose real
// clients are pods of a known namespace (gen/clients): Prometheus scraping
// the nodes' metrics ports and kubelets, hubble-relay reading every agent's
// hubble API, caps-controller-manager bootstrapping static nodes over SSH.
// Each policy lets one set of pods reach the node ports they need, in the
// form the cluster's CNI enforces (Options.CNI): CiliumNetworkPolicy with
// Cilium (Deckhouse's default), NetworkPolicy with ipBlock with Flannel.
// Rows whose clients are host processes or the world are host traffic, for
// the cilium, nftables and ansible targets; they are listed in a warning.
package kubernetes

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/portspec/portspec/internal/k8syaml"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/gen/clients"
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

// podPolicy is the egress policy of one set of client pods.
type podPolicy struct {
	client clients.Client
	name   string
	rows   []selected
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
	table := req.ClientTable()
	out := &gen.Output{}
	byClient := map[string]*podPolicy{}
	var order []string
	var hostOnly, anyPod, noICMP []string
	for gi := range req.Doc.Groups {
		g := &req.Doc.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			pods := podClients(g, table.For(g, r))
			switch {
			case len(pods) == 0:
				hostOnly = append(hostOnly, g.ID+" "+r.Label())
				continue
			case r.Protocol == spec.ICMP:
				noICMP = append(noICMP, fmt.Sprintf("%s: %s ICMP (%s): pod clients, but portspec writes no ICMP egress for pods", r.Pos, g.ID, gen.OneLine(r.Purpose())))
				continue
			}
			for _, cl := range pods {
				if cl.Namespace == "" {
					anyPod = append(anyPod, g.ID+" "+r.Label())
					continue
				}
				k := cl.String()
				if byClient[k] == nil {
					byClient[k] = &podPolicy{client: cl}
					order = append(order, k)
				}
				byClient[k].rows = append(byClient[k].rows, selected{g, r})
			}
		}
	}
	names := map[string]bool{}
	for _, k := range order {
		p := byClient[k]
		p.name = policyName(p.client, names)
		data, err := c.render(req.Doc, p)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, gen.File{Path: p.client.Namespace + "_" + p.name + ".yaml", Data: data})
	}
	if len(hostOnly) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %d rows have no pod clients (host processes or the outside world: the cilium, nftables and ansible targets enforce them); they are in no pod policy: %s",
			req.Doc.Source, len(hostOnly), strings.Join(hostOnly, "; ")))
	}
	if len(anyPod) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %d rows are reached by any pod (%s); no pod policy is written for them, as one would isolate the egress of every pod (their host side is in the cilium target)",
			req.Doc.Source, len(anyPod), strings.Join(slices.Compact(anyPod), "; ")))
	}
	slices.Sort(noICMP)
	out.Warnings = append(out.Warnings, slices.Compact(noICMP)...)
	return out, nil
}

// podClients are the Pod clients of a row whose destination is a node.
func podClients(g *spec.Group, row clients.Row) []clients.Client {
	if !g.Known || g.Direction != spec.Ingress {
		return nil
	}
	switch g.To {
	case spec.RoleMaster, spec.RoleNode, spec.RoleFrontend:
		return row.Pods()
	}
	return nil
}

// policyName names a pod client's policy after its app label:
// portspec-<app>-node-ports, unique among the run's names.
func policyName(c clients.Client, taken map[string]bool) string {
	app := c.Labels["app.kubernetes.io/name"]
	if app == "" {
		app = c.Labels["app"]
	}
	base := "portspec-" + dnsPart(app) + "-node-ports"
	if dnsPart(app) == "" {
		base = "portspec-node-ports"
	}
	name := base
	for i := 2; taken[c.Namespace+"/"+name]; i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	taken[c.Namespace+"/"+name] = true
	return name
}

// dnsPart keeps what a DNS label allows: lower-case letters, digits, '-'.
func dnsPart(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	t := strings.Trim(b.String(), "-")
	if len(t) > 30 {
		t = strings.TrimRight(t[:30], "-")
	}
	return t
}

// render writes one policy with its header: what it opens, for which rows,
// and that it isolates the selected pods' egress.
func (c *config) render(doc *spec.Document, p *podPolicy) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(gen.Header("#", doc))
	kind := "CiliumNetworkPolicy"
	if c.cni == "flannel" {
		kind = "NetworkPolicy"
	}
	fmt.Fprintf(&b, "\n#\n# %s\n", gen.OneLine(fmt.Sprintf("%s %s/%s: lets %s reach the nodes' ports below.", kind, p.client.Namespace, p.name, p.client)))
	b.WriteString("# It ISOLATES THE SELECTED PODS' EGRESS: once applied they may send only what this and\n")
	b.WriteString("# their other egress policies allow (add policies for everything else they reach, or\n")
	b.WriteString("# apply it where their egress is already restricted). Pods with hostNetwork: true are\n")
	b.WriteString("# not affected by any pod policy; their traffic is the host firewall's.\n")
	if c.cni == "cilium" {
		b.WriteString("# Cilium (targets.kubernetes.cni: cilium): the nodes are named by identity (host,\n")
		b.WriteString("# remote-node, kube-apiserver), as a NetworkPolicy ipBlock never matches them.\n#\n")
	} else {
		b.WriteString("# Flannel with kube-router (targets.kubernetes.cni: flannel): the nodes by address.\n#\n")
	}
	for _, s := range p.rows {
		fmt.Fprintf(&b, "# %s\n", gen.OneLine(fmt.Sprintf("%s %s to %s: %s", s.group.ID, s.rule.Label(), s.group.To, gen.Described(s.rule))))
	}
	var obj any
	if c.cni == "cilium" {
		obj = c.ciliumPolicy(p)
	} else {
		obj = c.networkPolicy(p)
	}
	data, err := k8syaml.Marshal(obj)
	if err != nil {
		return nil, fmt.Errorf("kubernetes: marshal %s: %w", p.name, err)
	}
	b.WriteString("---\n")
	b.Write(data)
	return b.Bytes(), nil
}

// portSet is the sorted, distinct ports of some rows, per destination:
// masters, or any node.
type portSet map[[3]int32]bool

func (c *config) portsByDestination(rows []selected) (masters, nodes portSet) {
	masters, nodes = portSet{}, portSet{}
	for _, s := range rows {
		d := nodes
		if s.group.To == spec.RoleMaster {
			d = masters
		}
		for _, pr := range s.rule.Ports {
			d[[3]int32{int32(s.rule.Protocol), int32(pr.First), int32(pr.Last)}] = true
		}
	}
	return masters, nodes
}

func (s portSet) sorted() [][3]int32 {
	ks := slices.Collect(maps.Keys(s))
	slices.SortFunc(ks, func(a, b [3]int32) int { return slices.Compare(a[:], b[:]) })
	return ks
}

// ciliumPolicy is the CiliumNetworkPolicy of one pod client: egress to
// the masters' identities (kube-apiserver, and host for a pod on a master)
// on the masters' rows, to every node's (remote-node, which matches the
// masters too, and host) on the others.
func (c *config) ciliumPolicy(p *podPolicy) ccnp.Policy {
	sel := ccnp.Selector{MatchLabels: map[string]string{}}
	for k, v := range p.client.Labels {
		sel.MatchLabels["k8s:"+k] = v
	}
	pol := ccnp.Policy{
		APIVersion: ccnp.APIVersion,
		Kind:       ccnp.KindNamespaced,
		Metadata: ccnp.Metadata{Name: p.name, Namespace: p.client.Namespace, Labels: map[string]string{
			"app.kubernetes.io/managed-by": "portspec",
		}},
		Spec: ccnp.Spec{
			Description:      gen.OneLine("portspec: egress of " + p.client.String() + " to the node ports they are the clients of."),
			EndpointSelector: &sel,
		},
	}
	masters, nodes := c.portsByDestination(p.rows)
	for _, d := range []struct {
		entities []string
		ports    portSet
	}{{[]string{"host", "kube-apiserver"}, masters}, {[]string{"host", "remote-node"}, nodes}} {
		ks := d.ports.sorted()
		for len(ks) > 0 {
			n := min(len(ks), ccnp.MaxPorts)
			var pp []ccnp.PortProtocol
			for _, k := range ks[:n] {
				x := ccnp.PortProtocol{Port: strconv.Itoa(int(k[1])), Protocol: spec.Protocol(k[0]).String()}
				if k[2] != k[1] {
					x.EndPort = k[2]
				}
				pp = append(pp, x)
			}
			ks = ks[n:]
			pol.Spec.Egress = append(pol.Spec.Egress, ccnp.EgressRule{ToEntities: d.entities, ToPorts: []ccnp.PortRule{{Ports: pp}}})
		}
	}
	return pol
}

// networkPolicy is the NetworkPolicy of one pod client (Flannel): egress to
// the master CIDRs on the masters' rows, to the node CIDRs on the others.
func (c *config) networkPolicy(p *podPolicy) networkingv1.NetworkPolicy {
	np := networkingv1.NetworkPolicy{
		TypeMeta: metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"},
		ObjectMeta: metav1.ObjectMeta{Name: p.name, Namespace: p.client.Namespace, Labels: map[string]string{
			"app.kubernetes.io/managed-by": "portspec",
		}},
		Spec: networkingv1.NetworkPolicySpec{
			PodSelector: metav1.LabelSelector{MatchLabels: maps.Clone(p.client.Labels)},
			PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
		},
	}
	masters, nodes := c.portsByDestination(p.rows)
	for _, d := range []struct {
		cidrs []string
		ports portSet
	}{{c.masters, masters}, {c.nodes, nodes}} {
		if len(d.ports) == 0 {
			continue
		}
		var r networkingv1.NetworkPolicyEgressRule
		for _, cidr := range d.cidrs {
			r.To = append(r.To, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: cidr}})
		}
		for _, k := range d.ports.sorted() {
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
	return np
}
