package verify

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/portspec/portspec/spec"
	"github.com/portspec/portspec/verify/sockets"
)

// NodeOptions say which node a table of sockets is from.
type NodeOptions struct {
	// Name is the node's name in the report (its host name); may be "".
	Name string
	// Roles are the node's roles, node among them (ParseRoles).
	Roles  []spec.Role
	Ignore Ignore
}

// Node compares a node's listening sockets with the document: every
// listener on a non-loopback address must be on a port the generated
// firewall of the node's roles accepts (Undocumented otherwise), and every
// documented ingress port that nothing listens on is listed as Idle.
// Loopback-only listeners are not findings: the rulesets accept all local
// traffic.
func Node(doc *spec.Document, t *sockets.Table, opt NodeOptions) *Report {
	roles := nodeRoles(opt.Roles)
	subject := "node with roles " + roleNames(roles)
	if opt.Name != "" {
		subject = "node " + opt.Name + " with roles " + roleNames(roles)
	}
	r := &Report{Check: "verify", Document: doc.Source, Subject: subject, Unit: "listeners on non-loopback addresses"}
	r.Notes = append(r.Notes, t.Notes...)

	type key struct {
		protocol spec.Protocol
		port     uint16
	}
	type listener struct {
		addrs []netip.Addr
		procs []string
	}
	open := map[key]*listener{}
	var order []key
	loopback := 0
	for _, s := range t.Sockets {
		if s.Loopback() {
			loopback++
			continue
		}
		k := key{s.Protocol, s.Port}
		l, ok := open[k]
		if !ok {
			l = &listener{}
			open[k] = l
			order = append(order, k)
		}
		if !slices.Contains(l.addrs, s.Addr) {
			l.addrs = append(l.addrs, s.Addr)
		}
		for _, p := range s.Processes {
			if ps := p.String(); !slices.Contains(l.procs, ps) {
				l.procs = append(l.procs, ps)
			}
		}
	}
	if loopback > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d loopback-only listeners are not findings: the rulesets accept all local traffic", loopback))
	}
	r.Checked = len(order)

	acc := newAccepts(doc)
	to := narrowest(roles)
	unknownOwner := 0
	for _, k := range order {
		l := open[k]
		proto := k.protocol.String()
		if _, ok := acc.find(roles, proto, k.port); ok {
			continue
		}
		slices.SortFunc(l.addrs, netip.Addr.Compare)
		var where []string
		for _, a := range l.addrs {
			where = append(where, a.String())
		}
		slices.Sort(l.procs)
		f := Finding{
			Kind: Undocumented, Protocol: proto, Ports: fmt.Sprint(k.port), Where: where, Who: l.procs,
			Detail: "the generated firewall of " + roleNames(roles) + " drops its traffic",
			Entry:  &Entry{Group: GroupFor(spec.RoleNode, to), Protocol: proto, Ports: fmt.Sprint(k.port), Purpose: purposeOf(l.procs)},
		}
		if len(l.procs) == 0 {
			unknownOwner++
		}
		f.Ignored = opt.Ignore.matches(proto, k.port)
		r.Findings = append(r.Findings, f)
	}
	if unknownOwner > 0 && t.OwnersHidden == 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d undocumented listeners show no process: no process this reader can see holds them", unknownOwner))
	}

	// Documented ports nothing listens on: information, once per port
	// range (ExternalToMaster and MastersToNodes both open TCP/22).
	idle := map[string]int{}
	for _, rule := range acc.rules(roles) {
		if rule.Protocol == spec.ICMP {
			continue
		}
		for _, pr := range rule.Ports {
			served := false
			for _, k := range order {
				served = served || (k.protocol == rule.Protocol && pr.Contains(k.port))
			}
			if served {
				continue
			}
			f := Finding{Kind: Idle, Protocol: rule.Protocol.String(), Ports: pr.String(), Rule: RuleOf(rule)}
			if i, ok := idle[f.Key()]; ok {
				r.Findings[i].Detail = strings.TrimPrefix(r.Findings[i].Detail+fmt.Sprintf("; also %s: %q", rule.Group, rule.Purpose), "; ")
				continue
			}
			idle[f.Key()] = len(r.Findings)
			r.Findings = append(r.Findings, f)
		}
	}
	if len(idle) > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("%d documented ports nothing listens on are listed as idle: information (their modules may be off)", len(idle)))
	}
	SortFindings(r.Findings)
	return r
}

// purposeOf suggests an entry's purpose from who serves the port.
func purposeOf(who []string) string {
	if len(who) == 0 {
		return ""
	}
	names := []string{}
	for _, w := range who {
		if n, _, ok := strings.Cut(w, "["); ok {
			w = n
		}
		if !slices.Contains(names, w) {
			names = append(names, w)
		}
	}
	return strings.Join(names, ", ")
}
