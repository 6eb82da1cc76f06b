// Package cilium generates Cilium host-firewall policies
// (CiliumClusterwideNetworkPolicy, cilium.io/v2) from the model: one policy
// per destination role (masters, all nodes, frontends), selected by
// nodeSelector, plus one egress policy for traffic from nodes to the outside
// world. Every policy carries the must-allow Baseline. Rows a host policy
// cannot enforce are written as comments and returned as warnings.
package cilium

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "cilium"

// DefaultDir is the target's folder under the output root when the config
// names none.
const DefaultDir = "cilium"

// Generator is the Cilium target.
type Generator struct{}

// New returns the target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// policyKey names one generated policy.
type policyKey struct {
	subject Subject
	egress  bool
}

// policyOrder is the order of files and of the policies' comments.
var policyOrder = []policyKey{{Masters, false}, {Nodes, false}, {Frontends, false}, {Nodes, true}}

func (k policyKey) file() string {
	if k.egress {
		return string(k.subject) + "-egress.yaml"
	}
	return string(k.subject) + ".yaml"
}

// entry is what one row (or baseline rule) opens in one policy.
type entry struct {
	peers []string
	proto string // TCP, UDP, ICMP or ANY
	ports []spec.PortRange
}

// policyPlan collects a policy's entries and the comments explaining them.
type policyPlan struct {
	groups   []string // titles of the document's groups it serves
	entries  []entry
	comments []string
	baseline bool // holds baseline rules
}

func peerWord(egress bool) string {
	if egress {
		return " to "
	}
	return " from "
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
	plans := map[policyKey]*policyPlan{}
	plan := func(k policyKey) *policyPlan {
		if plans[k] == nil {
			plans[k] = &policyPlan{}
		}
		return plans[k]
	}
	var errs spec.Errors
	for gi := range req.Doc.Groups {
		g := &req.Doc.Groups[gi]
		key, ok := c.policyFor(g)
		if !ok {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: group %q (%s): no host policy can express traffic from %s to %s (%s); its %d rows are not in the Cilium policies",
				g.Pos, g.ID, gen.OneLine(g.Title()), g.From, g.To, g.Direction, len(g.Rules)))
			continue
		}
		if key.egress && !c.egress {
			out.Warnings = append(out.Warnings, fmt.Sprintf("%s: group %q (%s): egress is off (targets.cilium.egress: false); its %d rows are not in the Cilium policies",
				g.Pos, g.ID, gen.OneLine(g.Title()), len(g.Rules)))
			continue
		}
		p := plan(key)
		p.groups = append(p.groups, gen.OneLine(g.Title())+" ("+g.ID+")")
		for ri := range g.Rules {
			r := &g.Rules[ri]
			e, note, skip := c.entryFor(g, r, &errs)
			if skip != "" {
				p.comments = append(p.comments, "NOT ENFORCED "+note+": "+skip)
				out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %s %s: %s; written as a comment in %s", r.Pos, g.ID, r.Label(), skip, key.file()))
			}
			if e.proto == "" {
				continue
			}
			p.entries = append(p.entries, e)
			p.comments = append(p.comments, note+peerWord(key.egress)+strings.Join(e.peers, ", "))
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	// The baseline goes into masters and nodes always (an ingress policy
	// on any node makes that node default-deny), and into the egress policy
	// only when the document makes one.
	plan(Masters.key())
	plan(Nodes.key())
	for _, b := range Baseline {
		k := policyKey{b.Subject, b.Egress}
		p := plans[k]
		if p == nil {
			continue
		}
		p.entries = append(p.entries, entry{b.Peers, b.Protocol, b.Ports})
		p.baseline = true
		p.comments = append(p.comments, fmt.Sprintf("baseline %s/%s%s%s: %s", b.Protocol, formatPorts(b.Protocol, b.Ports), peerWord(b.Egress), strings.Join(b.Peers, ", "), b.Why))
	}
	for _, k := range policyOrder {
		p := plans[k]
		if p == nil {
			continue
		}
		pol := c.policy(k, p)
		data, err := render(req.Doc, pol, p.comments)
		if err != nil {
			return nil, err
		}
		out.Files = append(out.Files, gen.File{Path: k.file(), Data: data})
	}
	sort.Strings(out.Warnings)
	return out, nil
}

func (s Subject) key() policyKey { return policyKey{s, false} }

// policyFor says which policy a group's rows go into: ingress to the
// destination role, or egress from the source role to the outside.
func (c *config) policyFor(g *spec.Group) (policyKey, bool) {
	if !g.Known {
		return policyKey{}, false
	}
	switch g.Direction {
	case spec.Ingress:
		s, ok := subjectOf(g.To)
		return policyKey{s, false}, ok
	case spec.Egress:
		s, ok := subjectOf(g.From)
		return policyKey{s, true}, ok && g.To == spec.RoleExternal
	}
	return policyKey{}, false
}

// entryFor turns one rule into what it opens. It returns a reason in skip
// when the rule cannot be enforced by a host policy, and records errors for
// rules that cannot be written at all.
func (c *config) entryFor(g *spec.Group, r *spec.Rule, errs *spec.Errors) (e entry, note, skip string) {
	purpose := gen.OneLine(r.Purpose())
	note = fmt.Sprintf("%s %s: %s", g.ID, r.Label(), purpose)
	e.peers = c.peersFor(g, r)
	var nodePort []spec.PortRange
	switch r.Protocol {
	case spec.TCP, spec.UDP:
		e.proto = r.Protocol.String()
	case spec.ICMP:
		e.proto = "ICMP"
		return e, note, ""
	default:
		errs.Add(r.Pos, "%s: rule %q has protocol %s, which a Cilium policy cannot name", g.ID, purpose, r.Protocol)
		return entry{}, note, ""
	}
	for _, pr := range r.Ports {
		if c.kpr && g.Direction == spec.Ingress && pr.First != 0 && c.nodePorts.First <= pr.First && pr.Last <= c.nodePorts.Last {
			nodePort = append(nodePort, pr)
			continue
		}
		switch {
		case pr.First == 0 || pr.Last < pr.First:
			// Port 0 means "every port" to Cilium: never let it through.
			errs.Add(r.Pos, "%s: rule %q has port range %d-%d: ports must be 1-65535 with endPort >= port", g.ID, purpose, pr.First, pr.Last)
			continue
		case !pr.Single() && c.ranges == "refuse":
			errs.Add(r.Pos, "%s: rule %q has the range %d-%d and targets.cilium.ranges is refuse (for Cilium older than 1.16, which has no endPort): use ranges: expand, or upgrade Cilium and use endPort", g.ID, purpose, pr.First, pr.Last)
			continue
		case !pr.Single() && c.ranges == "expand" && int(pr.Last-pr.First)+1 > MaxExpand:
			errs.Add(r.Pos, "%s: rule %q: the range %d-%d has more than %d ports to expand; use ranges: endPort (Cilium >= 1.16)", g.ID, purpose, pr.First, pr.Last, MaxExpand)
			continue
		}
		e.ports = append(e.ports, pr)
	}
	if len(nodePort) > 0 {
		skip = fmt.Sprintf("ports %s lie in the NodePort range %s, which Cilium's kube-proxy replacement serves before the host firewall sees the traffic; a host policy cannot enforce them (restrict NodePort Services with CiliumNetworkPolicies on the backing pods instead)", spec.FormatPorts(nodePort), c.nodePorts)
	}
	if len(e.ports) == 0 {
		e.proto = ""
	}
	return e, note, skip
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
	if k.egress {
		name += "-egress"
		desc = "portspec: traffic from " + describe(k.subject) + " to the outside world"
	}
	if len(p.groups) > 0 {
		desc += ", from the document's groups: " + strings.Join(p.groups, "; ")
	}
	if p.baseline {
		desc += "; plus portspec's must-allow baseline"
	}
	desc += "."
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
			pol.Spec.Egress = append(pol.Spec.Egress, ccnp.EgressRule{ToEntities: r.entities, ToNodes: r.nodes, ToPorts: r.toPorts, ICMPs: r.icmps})
		} else {
			pol.Spec.Ingress = append(pol.Spec.Ingress, ccnp.IngressRule{FromEntities: r.entities, FromNodes: r.nodes, ToPorts: r.toPorts, ICMPs: r.icmps})
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
