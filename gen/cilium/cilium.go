// Package cilium generates Cilium host-firewall policies
// (CiliumClusterwideNetworkPolicy, cilium.io/v2) from the model: one policy
// per destination role (masters, all nodes, frontends), selected by
// nodeSelector, whose peers are the real clients of each row (gen/clients);
// a baseline of the cluster's life lines in policies of its own; and, only
// when asked for, a host egress policy. Rows a policy cannot express are
// written as comments and returned as warnings. docs/cilium.md says why
// each choice is made, docs/enforcement-facts.md gives the sources, and the
// e2e/engine module proves the output with Cilium's own policy engine.
package cilium

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml; DefaultDir its folder.
const (
	Name       = "cilium"
	DefaultDir = "cilium"
)

// Generator is the "cilium" target.
type Generator struct{}

// New returns the target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// policyKey names one generated policy.
type policyKey struct {
	subject  Subject
	egress   bool
	baseline bool
}

// files are the generated files in order, each with its policies.
var files = []struct {
	name     string
	policies []policyKey
}{
	{"baseline.yaml", []policyKey{{Masters, false, true}, {Nodes, false, true}}},
	{"masters.yaml", []policyKey{{Masters, false, false}}},
	{"nodes.yaml", []policyKey{{Nodes, false, false}}},
	{"frontends.yaml", []policyKey{{Frontends, false, false}}},
	{"nodes-egress.yaml", []policyKey{{Nodes, true, false}}},
}

// policyPlan collects a policy's entries and the comments explaining them.
type policyPlan struct {
	groups   []string // titles of the document's groups it serves
	entries  []entry
	comments []string
}

// planner holds one run's state: the options, the clients table and what
// each policy gets.
type planner struct {
	c        *config
	table    *clients.Table
	doc      *spec.Document
	plans    map[policyKey]*policyPlan
	warnings []string
	errs     spec.Errors
}

func (p *planner) plan(k policyKey) *policyPlan {
	if p.plans[k] == nil {
		p.plans[k] = &policyPlan{}
	}
	return p.plans[k]
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
	p := &planner{c: c, table: req.ClientTable(), doc: req.Doc, plans: map[policyKey]*policyPlan{}}
	for gi := range req.Doc.Groups {
		p.addGroup(&req.Doc.Groups[gi])
	}
	if err := p.errs.Err(); err != nil {
		return nil, err
	}
	p.addBaseline()
	if c.egress {
		p.addEgressBaseline()
	}
	out := &gen.Output{Warnings: p.warnings}
	for _, f := range files {
		var pols []ccnp.Policy
		var comments [][]string
		for _, k := range f.policies {
			if pl := p.plans[k]; pl != nil {
				pols = append(pols, c.policy(k, pl))
				comments = append(comments, pl.comments)
			}
		}
		if len(pols) == 0 {
			continue
		}
		data, err := render(req.Doc, pols, comments)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, gen.File{Path: f.name, Data: data})
	}
	sort.Strings(out.Warnings)
	return out, nil
}

// policyFor says which policy a group's rows go into: ingress to the
// destination role, or egress from the source role to the outside.
func policyFor(g *spec.Group) (policyKey, bool) {
	if !g.Known {
		return policyKey{}, false
	}
	switch g.Direction {
	case spec.Ingress:
		s, ok := subjectOf(g.To)
		return policyKey{subject: s}, ok
	case spec.Egress:
		s, ok := subjectOf(g.From)
		return policyKey{subject: s, egress: true}, ok && g.To == spec.RoleExternal
	}
	return policyKey{}, false
}

// addGroup plans every row of one group, or says why it cannot.
func (p *planner) addGroup(g *spec.Group) {
	key, ok := policyFor(g)
	switch {
	case !ok:
		p.warnings = append(p.warnings, fmt.Sprintf("%s: group %q (%s): no host policy can express traffic from %s to %s (%s); its %d rows are not in the Cilium policies",
			g.Pos, g.ID, gen.OneLine(g.Title()), g.From, g.To, g.Direction, len(g.Rules)))
		return
	case key.egress && !p.c.egress:
		p.warnings = append(p.warnings, fmt.Sprintf("%s: group %q (%s): host egress is not enforced (targets.cilium.egress is off: an egress policy makes every node's egress default-deny); its %d rows are not in the Cilium policies",
			g.Pos, g.ID, gen.OneLine(g.Title()), len(g.Rules)))
		return
	}
	pl := p.plan(key)
	pl.groups = append(pl.groups, gen.OneLine(g.Title())+" ("+g.ID+")")
	for ri := range g.Rules {
		if key.egress {
			p.addEgressRow(pl, g, &g.Rules[ri])
		} else {
			p.addIngressRow(pl, key, g, &g.Rules[ri])
		}
	}
}

// addIngressRow plans one row: its ports (checked, and narrowed to the
// cluster's tunnel ports for a tunnel row) from each peer its clients map
// to.
func (p *planner) addIngressRow(pl *policyPlan, key policyKey, g *spec.Group, r *spec.Rule) {
	note := fmt.Sprintf("%s %s: %s", g.ID, r.Label(), gen.Described(r))
	proto, prs, ok := p.ports(g, r)
	if !ok {
		return
	}
	if clients.IsTunnel(r) && len(p.c.tunnelPorts) > 0 {
		var kept []spec.PortRange
		prs, kept = splitTunnel(prs, p.c.tunnelPorts)
		if len(prs) > 0 {
			pl.comments = append(pl.comments, "NOT ENFORCED "+note+": "+spec.FormatPorts(prs)+" is not this cluster's tunnel port (targets.cilium.tunnelPorts)")
			p.warnings = append(p.warnings, fmt.Sprintf("%s: %s %s: ports %s are not among targets.cilium.tunnelPorts; written as a comment in %s", r.Pos, g.ID, r.Label(), spec.FormatPorts(prs), fileOf(key)))
		}
		if prs = kept; len(prs) == 0 {
			return
		}
	}
	row := p.table.For(g, r)
	peers, notes := p.c.peersOf(row)
	var names []string
	for _, pe := range peers {
		pl.entries = append(pl.entries, entry{pe, proto, prs})
		names = append(names, pe.String())
	}
	line := note + " | from " + strings.Join(names, "; ")
	if len(row.Entries) > 0 {
		line += " | clients: " + strings.Join(row.Entries, ", ")
	}
	pl.comments = append(pl.comments, line)
	for _, n := range notes {
		pl.comments = append(pl.comments, "  note: "+n)
	}
	if proto != "ICMP" && overlapsAny(prs, p.c.nodePorts) {
		pl.comments = append(pl.comments, "  note: "+p.c.nodePortNote())
	}
}

// addEgressRow plans one NodesToExternal row: the nodes may send to the
// world on its ports.
func (p *planner) addEgressRow(pl *policyPlan, g *spec.Group, r *spec.Rule) {
	proto, prs, ok := p.ports(g, r)
	if !ok {
		return
	}
	world := peer{kind: byEntities, entities: []string{"world"}}
	pl.entries = append(pl.entries, entry{world, proto, prs})
	pl.comments = append(pl.comments, fmt.Sprintf("%s %s: %s | to %s", g.ID, r.Label(), gen.Described(r), world))
}

// ports checks a row's protocol and ports for a Cilium rule. Errors are
// recorded; ok is false when the row opens nothing.
func (p *planner) ports(g *spec.Group, r *spec.Rule) (proto string, prs []spec.PortRange, ok bool) {
	purpose := gen.OneLine(r.Purpose())
	switch r.Protocol {
	case spec.TCP, spec.UDP:
		proto = r.Protocol.String()
	case spec.ICMP:
		return "ICMP", nil, true
	default:
		p.errs.Add(r.Pos, "%s: rule %q has protocol %s, which a Cilium policy cannot name", g.ID, purpose, r.Protocol)
		return "", nil, false
	}
	for _, pr := range r.Ports {
		switch {
		case pr.First == 0 || pr.Last < pr.First:
			// Port 0 means "every port" to Cilium: never let it through.
			p.errs.Add(r.Pos, "%s: rule %q has port range %d-%d: ports must be 1-65535 with endPort >= port", g.ID, purpose, pr.First, pr.Last)
			continue
		case !pr.Single() && p.c.ranges == "refuse":
			p.errs.Add(r.Pos, "%s: rule %q has the range %d-%d and targets.cilium.ranges is refuse (for Cilium older than 1.16, which has no endPort): use ranges: expand, or upgrade Cilium and use endPort", g.ID, purpose, pr.First, pr.Last)
			continue
		case !pr.Single() && p.c.ranges == "expand" && int(pr.Last-pr.First)+1 > MaxExpand:
			p.errs.Add(r.Pos, "%s: rule %q: the range %d-%d has more than %d ports to expand; use ranges: endPort (Cilium >= 1.16)", g.ID, purpose, pr.First, pr.Last, MaxExpand)
			continue
		}
		prs = append(prs, pr)
	}
	return proto, prs, len(prs) > 0
}

// splitTunnel splits a tunnel row's ports into those that are not the
// cluster's tunnel ports and those that are, one port each. The tunnel
// ports are sorted once and each port is looked up in them, so that a row
// of thousands of ports against a long tunnelPorts list stays n log n.
func splitTunnel(prs, tunnel []spec.PortRange) (other, kept []spec.PortRange) {
	t := slices.Clone(tunnel)
	slices.SortFunc(t, func(a, b spec.PortRange) int { return int(a.First) - int(b.First) })
	// reach[i] is the last port the ranges t[:i+1] reach: t[i] covers a
	// port p >= t[i].First exactly when some range up to i reaches p.
	reach := make([]uint16, len(t))
	for i, r := range t {
		reach[i] = r.Last
		if i > 0 {
			reach[i] = max(reach[i], reach[i-1])
		}
	}
	isTunnel := func(port uint16) bool {
		i, _ := slices.BinarySearchFunc(t, port, func(r spec.PortRange, p uint16) int {
			if r.First <= p {
				return -1
			}
			return 1
		}) // i: the first range that starts after port
		return i > 0 && reach[i-1] >= port
	}
	for _, pr := range prs {
		for port := int(pr.First); port <= int(pr.Last); port++ {
			one := spec.PortRange{First: uint16(port), Last: uint16(port)}
			if isTunnel(uint16(port)) {
				kept = append(kept, one)
			} else {
				other = append(other, one)
			}
		}
	}
	return other, kept
}

func overlapsAny(prs []spec.PortRange, r spec.PortRange) bool {
	return slices.ContainsFunc(prs, func(p spec.PortRange) bool { return p.First <= r.Last && r.First <= p.Last })
}

// nodePortNote says what a host rule on NodePort ports governs
// (docs/enforcement-facts.md, 5).
func (c *config) nodePortNote() string {
	if c.kpr {
		return fmt.Sprintf("NodePort range %s: with kube-proxy replacement a NodePort Service's traffic is translated before the host firewall sees it (its backends' policies govern it); this rule governs the health-check node ports of externalTrafficPolicy: Local Services, which the agent serves in the host namespace, and host-network backends", c.nodePorts)
	}
	return fmt.Sprintf("NodePort range %s: without kube-proxy replacement the host firewall sees NodePort traffic addressed to the node, and this rule governs it", c.nodePorts)
}

// addBaseline adds the must-allow rules to their own policies.
func (p *planner) addBaseline() {
	var docTunnel []spec.PortRange
	for gi := range p.doc.Groups {
		for ri := range p.doc.Groups[gi].Rules {
			if r := &p.doc.Groups[gi].Rules[ri]; clients.IsTunnel(r) {
				docTunnel = append(docTunnel, r.Ports...)
			}
		}
	}
	for _, b := range p.c.Baseline(docTunnel) {
		pl := p.plan(policyKey{subject: b.Subject, baseline: true})
		pe := b.peer()
		pl.entries = append(pl.entries, entry{pe, b.Protocol, b.Ports})
		pl.comments = append(pl.comments, fmt.Sprintf("baseline %s/%s from %s: %s", b.Protocol, formatPorts(b.Protocol, b.Ports), pe, b.Why))
	}
}

// addEgressBaseline adds what every node must be able to send to the
// egress policy.
func (p *planner) addEgressBaseline() {
	pl := p.plan(policyKey{subject: Nodes, egress: true})
	for _, b := range egressBaseline() {
		pl.entries = append(pl.entries, entry{b.peer, b.proto, b.ports})
		pl.comments = append(pl.comments, fmt.Sprintf("baseline %s/%s to %s: %s", b.proto, formatPorts(b.proto, b.ports), b.peer, b.why))
	}
}

func fileOf(k policyKey) string {
	for _, f := range files {
		if slices.Contains(f.policies, k) {
			return f.name
		}
	}
	return ""
}

func formatPorts(proto string, rs []spec.PortRange) string {
	if proto == "ICMP" || proto == "ANY" || len(rs) == 0 {
		return "*"
	}
	return spec.FormatPorts(rs)
}

// policy builds the typed object of one plan.
func (c *config) policy(k policyKey, p *policyPlan) ccnp.Policy {
	name := c.prefix + "-" + string(k.subject)
	desc := "portspec: traffic into " + describe(k.subject)
	switch {
	case k.baseline:
		name = c.prefix + "-baseline-" + string(k.subject)
		desc = "portspec: the must-allow baseline of " + describe(k.subject) + " (the cluster's life lines, whatever the document says)"
	case k.egress:
		name += "-egress"
		desc = "portspec: traffic from " + describe(k.subject) + " (host egress, default-deny once applied)"
	}
	if len(p.groups) > 0 {
		desc += ", from the document's groups: " + strings.Join(p.groups, "; ")
	}
	desc = gen.OneLine(desc + ".") // group ids and titles are the document's
	pol := ccnp.Policy{
		APIVersion: ccnp.APIVersion,
		Kind:       ccnp.Kind,
		Metadata: ccnp.Metadata{Name: name, Labels: map[string]string{
			"app.kubernetes.io/managed-by": "portspec",
		}},
		Spec: ccnp.Spec{
			Description:  desc,
			NodeSelector: &ccnp.Selector{MatchLabels: c.selectors[k.subject]},
		},
	}
	for _, r := range c.rules(p.entries) {
		if k.egress {
			pol.Spec.Egress = append(pol.Spec.Egress, r.egress())
		} else {
			pol.Spec.Ingress = append(pol.Spec.Ingress, r.ingress())
		}
	}
	return pol
}

func describe(s Subject) string {
	switch s {
	case Masters:
		return "master nodes"
	case Frontends:
		return "frontend nodes"
	}
	return "all nodes"
}
