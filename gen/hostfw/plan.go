package hostfw

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

// Rule is one rule of the document as a host firewall sees it.
type Rule struct {
	// Name is unique in the plan: group, protocol and first port
	// ("MastersToMasters/tcp/2379", "NodesToNodes/icmp").
	Name  string
	Group string
	// Direction is Ingress (the destination host accepts it) or Egress
	// (NodesToExternal: the source host lets it out).
	Direction spec.Direction
	// Purpose is on one line: every control character and run of white
	// space becomes one space, so that it can sit in a line comment.
	Purpose  string
	Protocol spec.Protocol
	// Ports are sorted; empty for ICMP.
	Ports []spec.PortRange
	// From and To are the roles of the group.
	From, To spec.Role
	// Sources are the address sets an ingress rule accepts, from the row's
	// real clients (gen/clients); empty for egress, where the host itself
	// is the source and To the destination.
	Sources []Set
	// Clients describe the row's clients, one line each (comments).
	Clients []string
	// Notes are further comment lines (what governs NodePorts).
	Notes []string
	// Site is empty for a row of the document; for a row the site's
	// overlay added or changed, it says so (spec.SiteChange), on one line.
	Site string
}

// Plan is what the document asks of host firewalls.
type Plan struct {
	// Rules are keyed by destination role: master, node and frontend hold
	// ingress rules, external the egress rules (sources are cluster roles).
	// Each list is sorted by group (upstream order), protocol and first port.
	Rules map[spec.Role][]Rule
	// Warnings name the groups left out because their roles are unknown.
	Warnings []string
}

// Input is what a plan is made from.
type Input struct {
	Doc *spec.Document
	// Clients is the table of who really connects to each row; nil is the
	// built-in table (gen/clients).
	Clients *clients.Table
	// Langs are the preferred languages of purposes; empty is the
	// document's order.
	Langs []string
}

// table is the clients table of the plan: the request's (gen.Request's
// ClientTable), or the built-in table for callers that name none.
func (in Input) table() *clients.Table {
	if in.Clients != nil {
		return in.Clients
	}
	return clients.New(nil)
}

// Build makes the plan of a document with the built-in clients table,
// preferring purposes in langs.
func Build(doc *spec.Document, langs ...string) *Plan {
	return Input{Doc: doc, Langs: langs}.Build()
}

// Build makes the plan.
func (in Input) Build() *Plan {
	doc, langs, tab := in.Doc, in.Langs, in.table()
	p := &Plan{Rules: map[spec.Role][]Rule{}}
	if len(langs) == 0 {
		langs = doc.Languages
	}
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		if !g.Known || g.From == spec.RoleUnknown || g.To == spec.RoleUnknown {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s: group %q (%s) has no known roles: its %d rules are left out of the host firewall rules",
				g.Pos, g.ID, gen.OneLine(g.Title(langs...)), len(g.Rules)))
			continue
		}
		for ri := range g.Rules {
			r := &g.Rules[ri]
			if r.Protocol == spec.ProtocolUnknown {
				p.Warnings = append(p.Warnings, fmt.Sprintf("%s: rule %q of group %s has an unknown protocol: left out", r.Pos, gen.OneLine(r.Purpose(langs...)), g.ID))
				continue
			}
			ports := mergeOverlaps(r.Ports)
			name := g.ID + "/" + Proto(r.Protocol)
			if len(ports) > 0 {
				name += fmt.Sprintf("/%d", ports[0].First)
			}
			row := tab.For(g, r)
			rule := Rule{
				Name: gen.OneLine(name), Group: gen.OneLine(g.ID), Direction: g.Direction,
				Purpose: gen.OneLine(r.Purpose(langs...)), Protocol: r.Protocol, Ports: ports,
				From: g.From, To: g.To, Clients: describe(row),
			}
			if r.Site != nil {
				rule.Site = gen.OneLine(r.Site.String())
			}
			if g.Direction == spec.Ingress {
				rule.Sources = sources(row)
				rule.Notes = nodePortNotes(rule)
				if len(rule.Sources) == 0 {
					p.Warnings = append(p.Warnings, fmt.Sprintf("%s: rule %q of group %s has no clients a host firewall can match (%s): it accepts nothing",
						r.Pos, rule.Purpose, g.ID, strings.Join(rule.Clients, "; ")))
				}
			}
			p.Rules[g.To] = append(p.Rules[g.To], rule)
		}
	}
	known := spec.KnownGroups()
	for role, rules := range p.Rules {
		slices.SortStableFunc(rules, func(a, b Rule) int { return compareRules(known, a, b) })
		p.Rules[role] = rules
	}
	return p
}

// mergeOverlaps sorts ranges and merges those that overlap (a row
// "7000-7999, 7946" is one range), because an nftables set rejects
// overlapping elements. Adjacent ranges stay as the document wrote them.
func mergeOverlaps(in []spec.PortRange) []spec.PortRange {
	ports := slices.Clone(in)
	slices.SortFunc(ports, spec.ComparePorts)
	var out []spec.PortRange
	for _, p := range ports {
		if n := len(out); n > 0 && p.First <= out[n-1].Last {
			out[n-1].Last = max(out[n-1].Last, p.Last)
			continue
		}
		out = append(out, p)
	}
	return out
}

// compareRules orders rules by group (in the order of known, the known
// groups, then the others), group id, protocol and first port.
func compareRules(known []spec.KnownGroup, a, b Rule) int {
	if c := groupOrder(known, a.Group) - groupOrder(known, b.Group); c != 0 {
		return c
	}
	if c := strings.Compare(a.Group, b.Group); c != 0 {
		return c
	}
	if c := int(a.Protocol) - int(b.Protocol); c != 0 {
		return c
	}
	var fa, fb int
	if len(a.Ports) > 0 {
		fa = int(a.Ports[0].First)
	}
	if len(b.Ports) > 0 {
		fb = int(b.Ports[0].First)
	}
	return fa - fb
}

func groupOrder(known []spec.KnownGroup, id string) int {
	for i, k := range known {
		if k.ID == id {
			return i
		}
	}
	return len(known)
}

// HostRoles are the roles whose ingress rules a host of role r accepts:
// masters and frontends are nodes too.
func HostRoles(r spec.Role) []spec.Role {
	switch r {
	case spec.RoleMaster, spec.RoleFrontend:
		return []spec.Role{r, spec.RoleNode}
	case spec.RoleNode:
		return []spec.Role{spec.RoleNode}
	}
	return nil
}

// HostKinds returns the roles that get a ruleset of their own (a new slice
// each call).
func HostKinds() []spec.Role {
	return []spec.Role{spec.RoleMaster, spec.RoleNode, spec.RoleFrontend}
}

// Ingress returns the rules a host of role r accepts, in plan order (its
// own role's rules, then the node rules).
func (p *Plan) Ingress(r spec.Role) []Rule {
	var out []Rule
	for _, hr := range HostRoles(r) {
		for _, rule := range p.Rules[hr] {
			if rule.Direction == spec.Ingress {
				out = append(out, rule)
			}
		}
	}
	return out
}

// Egress returns the rules a host of role r lets out: those whose source
// role is one of the host's roles.
func (p *Plan) Egress(r spec.Role) []Rule {
	var out []Rule
	for _, to := range SetRoles() {
		for _, rule := range p.Rules[to] {
			if rule.Direction == spec.Egress && slices.Contains(HostRoles(r), rule.From) {
				out = append(out, rule)
			}
		}
	}
	return out
}

// Proto is the lower-case protocol name the firewalls use.
func Proto(p spec.Protocol) string { return strings.ToLower(p.String()) }
