// Package compare tells what changed from one document of the model to
// another: groups, ports and protocols added or removed, ports moved, roles
// changed and purposes reworded, each change with a severity, its positions
// and a stable key. It writes the reports of `portspec drift`, `portspec
// changes` and the generated drift test, and reads the acknowledge file that
// accepts known changes.
//
// It reads spec documents only (never an input), so any two forms the parser
// reads compare: the data YAML, the rendered page, the seed capture.
package compare

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Kind names what changed between two documents.
type Kind string

// The kinds of change, in the order a report lists them within a group.
const (
	GroupAdded   Kind = "group-added"
	GroupRemoved Kind = "group-removed"
	// RolesChanged: a group kept its id but its roles or direction changed.
	RolesChanged Kind = "roles-changed"
	// PortMoved: ports of one purpose closed and others of the same purpose
	// opened (the same plain-text purpose, or in the same group a purpose
	// worded almost alike). A firewall change, listed as one move.
	PortMoved   Kind = "moved"
	PortAdded   Kind = "port-added"
	PortRemoved Kind = "port-removed"
	// ProtocolAdded: the group already had these ports for another protocol.
	ProtocolAdded   Kind = "protocol-added"
	ProtocolRemoved Kind = "protocol-removed"
	// PurposeChanged: the same ports with a purpose worded differently.
	PurposeChanged Kind = "purpose-changed"
)

var kindOrder = []Kind{GroupAdded, GroupRemoved, RolesChanged, PortMoved, PortAdded,
	ProtocolAdded, PortRemoved, ProtocolRemoved, PurposeChanged}

// Severity says whether a change alters what a firewall must allow (Drift)
// or only how the document words it (Warning).
type Severity uint8

const (
	Warning Severity = iota + 1
	Drift
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Drift:
		return "drift"
	}
	return "unknown"
}

// Change is one difference between an old and a new document. Ports name
// whole rules' worth of port ranges: the ranges of one group, protocol and
// purpose that changed together.
type Change struct {
	Kind     Kind
	Severity Severity
	// Group, its roles and direction as the new document has them (the old
	// document's for removals).
	Group     string
	From, To  spec.Role
	Direction spec.Direction
	Protocol  spec.Protocol
	// Ports are the ports added, removed, moved to or whose purpose changed;
	// nil for ICMP and for group changes.
	Ports []spec.PortRange
	// Purpose is the plain-text purpose in the compared language (the new
	// document's, the old one's for removals).
	Purpose string
	// Old* describe the old side of a move, a purpose change or a change of
	// roles.
	OldGroup       string
	OldFrom, OldTo spec.Role
	OldDirection   spec.Direction
	OldPorts       []spec.PortRange
	OldPurpose     string
	// Lang is the language of Purpose/OldPurpose for purpose changes.
	Lang string
	// Pos is where the change is in the new document: the row, or for a
	// removal the heading of the group it was removed from (zero when the
	// new document has no such group). OldPos is the row in the old one.
	Pos, OldPos token.Position
	// Acknowledged is set by Report.Acknowledge for changes the user accepted.
	Acknowledged bool
}

// FirewallRole is the role whose firewall a change concerns: the
// destination of ingress traffic, the source of egress traffic.
func (c *Change) FirewallRole() spec.Role {
	if c.Direction == spec.Egress {
		return c.From
	}
	return c.To
}

func (c *Change) oldFirewallRole() spec.Role {
	if c.OldDirection == spec.Egress {
		return c.OldFrom
	}
	return c.OldTo
}

// Key identifies a change in an acknowledge file. It is stable: it holds
// the group, protocol and ports, never positions or wording.
func (c *Change) Key() string {
	switch c.Kind {
	case GroupAdded, GroupRemoved, RolesChanged:
		return fmt.Sprintf("%s %s", c.Kind, c.Group)
	case PortMoved:
		return fmt.Sprintf("%s %s %s -> %s %s", c.Kind, c.OldGroup, portsKey(c.Protocol, c.OldPorts), c.Group, portsKey(c.Protocol, c.Ports))
	case PurposeChanged:
		return fmt.Sprintf("%s %s %s %s", c.Kind, c.Group, portsKey(c.Protocol, c.Ports), c.Lang)
	}
	return fmt.Sprintf("%s %s %s", c.Kind, c.Group, portsKey(c.Protocol, c.Ports))
}

func portsKey(p spec.Protocol, rs []spec.PortRange) string {
	if len(rs) == 0 {
		return p.String()
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return p.String() + "/" + strings.Join(s, ",")
}

// Report is the outcome of Documents.
type Report struct {
	// Old and New name the compared documents (their Source).
	Old, New string
	// Languages are the languages whose purposes were compared: those both
	// documents carry.
	Languages []string
	Changes   []Change
	// Notes say what could not be compared (for example purposes, when the
	// documents share no language).
	Notes []string
	// Partial says why either document looks cut short (its
	// spec.Document.Partial), each "old: …" or "new: …": every report
	// prints it first, as a cut document's missing rows read as closed
	// ports.
	Partial []string
	// Overlay lists the entries of the site's overlay that no longer match
	// the new document, each "file:line:col: message" (the caller fills
	// it: the comparison itself reads documents only). Printed first too.
	Overlay []string
}

// Documents returns the changes from old to new. Rules are keyed by (group,
// protocol, port range), never by purpose, so a renamed purpose is a
// purpose change and a renumbered port is a move. Only what decides a
// firewall and the purposes in the languages both documents carry are
// compared: positions, sources, input kinds, digests and headings' wording
// are not, so the data YAML and the markdown rendered from it compare equal.
func Documents(old, new *spec.Document) *Report {
	r := &Report{Old: old.Source, New: new.Source, Languages: sharedLanguages(old, new)}
	for _, side := range []struct {
		name string
		doc  *spec.Document
	}{{"old", old}, {"new", new}} {
		for _, p := range side.doc.Partial {
			r.Partial = append(r.Partial, side.name+": "+p.String())
		}
	}
	if len(r.Languages) == 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("purposes not compared: %s and %s share no language", old.Source, new.Source))
	}
	c := comparer{old: old, new: new, langs: r.Languages}
	c.groups()
	c.flows()
	r.Changes = c.out
	r.Notes = append(r.Notes, c.notes...)
	sortChanges(r.Changes, old, new)
	return r
}

// sharedLanguages returns the languages of both documents, English first.
func sharedLanguages(a, b *spec.Document) []string {
	var out []string
	for _, l := range a.Languages {
		if slices.Contains(b.Languages, l) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i] == "en" && out[j] != "en" })
	return out
}

type comparer struct {
	old, new *spec.Document
	langs    []string
	out      []Change
	notes    []string
}

func (c *comparer) groups() {
	for i := range c.new.Groups {
		g := &c.new.Groups[i]
		og := c.old.Group(g.ID)
		if og == nil {
			c.out = append(c.out, Change{Kind: GroupAdded, Severity: Drift, Group: g.ID,
				From: g.From, To: g.To, Direction: g.Direction, Pos: g.Pos})
			continue
		}
		if og.From != g.From || og.To != g.To || og.Direction != g.Direction {
			c.out = append(c.out, Change{Kind: RolesChanged, Severity: Drift, Group: g.ID,
				From: g.From, To: g.To, Direction: g.Direction,
				OldGroup: og.ID, OldFrom: og.From, OldTo: og.To, OldDirection: og.Direction,
				Pos: g.Pos, OldPos: og.Pos})
		}
	}
	for i := range c.old.Groups {
		og := &c.old.Groups[i]
		if c.new.Group(og.ID) == nil {
			c.out = append(c.out, Change{Kind: GroupRemoved, Severity: Drift, Group: og.ID,
				From: og.From, To: og.To, Direction: og.Direction, OldPos: og.Pos})
		}
	}
}

// flowKey is what a rule is compared by.
type flowKey struct {
	group string
	proto spec.Protocol
	ports spec.PortRange
}

// flowInfo is the group and rule a flow of one document comes from.
type flowInfo struct {
	group *spec.Group
	rule  *spec.Rule
}

// flowsOf indexes a document's flows; a flow listed twice (an invalid
// document) keeps its first rule.
func flowsOf(d *spec.Document) (map[flowKey]flowInfo, []flowKey) {
	m := map[flowKey]flowInfo{}
	var order []flowKey
	for gi := range d.Groups {
		g := &d.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			ports := r.Ports
			if len(ports) == 0 {
				ports = []spec.PortRange{{}}
			}
			for _, p := range ports {
				k := flowKey{g.ID, r.Protocol, p}
				if _, dup := m[k]; dup {
					continue
				}
				m[k] = flowInfo{g, r}
				order = append(order, k)
			}
		}
	}
	return m, order
}

// chunk is a set of flows of one side that changed together: same group,
// protocol, purpose and kind of change.
type chunk struct {
	kind  Kind
	group *spec.Group
	rule  *spec.Rule // the first rule of the chunk: its purpose and position
	proto spec.Protocol
	ports []spec.PortRange
	used  bool
}

func (c *comparer) flows() {
	oldF, oldOrder := flowsOf(c.old)
	newF, newOrder := flowsOf(c.new)
	removed := c.chunks(oldOrder, oldF, newF, PortRemoved, ProtocolRemoved)
	added := c.chunks(newOrder, newF, oldF, PortAdded, ProtocolAdded)
	c.moves(removed, added)
	for _, ch := range removed {
		if ch.used {
			continue
		}
		ch2 := Change{Kind: ch.kind, Severity: Drift, Group: ch.group.ID,
			From: ch.group.From, To: ch.group.To, Direction: ch.group.Direction,
			Protocol: ch.proto, Ports: icmpless(ch.proto, ch.ports),
			Purpose: c.purpose(ch.rule), OldPos: ch.rule.Pos}
		if g := c.new.Group(ch.group.ID); g != nil {
			ch2.Pos = g.Pos
		}
		c.out = append(c.out, ch2)
	}
	for _, ch := range added {
		if ch.used {
			continue
		}
		c.out = append(c.out, Change{Kind: ch.kind, Severity: Drift, Group: ch.group.ID,
			From: ch.group.From, To: ch.group.To, Direction: ch.group.Direction,
			Protocol: ch.proto, Ports: icmpless(ch.proto, ch.ports),
			Purpose: c.purpose(ch.rule), Pos: ch.rule.Pos})
	}
	c.purposes(newOrder, oldF, newF)
}

// chunks gathers the flows of one side missing from the other into chunks
// by group, protocol and purpose (rows split into one port each, with the
// same purpose, are one chunk), in document order.
func (c *comparer) chunks(order []flowKey, mine, other map[flowKey]flowInfo, portKind, protoKind Kind) []*chunk {
	type ck struct {
		kind    Kind
		group   string
		proto   spec.Protocol
		purpose string
	}
	index := map[ck]*chunk{}
	var out []*chunk
	for _, k := range order {
		if _, ok := other[k]; ok {
			continue
		}
		f := mine[k]
		kind := portKind
		if k.proto != spec.ICMP && hasPorts(other, k) {
			kind = protoKind
		}
		id := ck{kind, k.group, k.proto, spec.NormalizePurpose(c.purpose(f.rule))}
		ch := index[id]
		if ch == nil {
			ch = &chunk{kind: kind, group: f.group, rule: f.rule, proto: k.proto}
			index[id] = ch
			out = append(out, ch)
		}
		ch.ports = append(ch.ports, k.ports)
	}
	return out
}

// hasPorts reports whether the group of k has k's ports for another
// protocol in m: it tells a new protocol on a known port from a new port.
func hasPorts(m map[flowKey]flowInfo, k flowKey) bool {
	for _, p := range spec.Protocols() {
		if p == k.proto {
			continue
		}
		if _, ok := m[flowKey{k.group, p, k.ports}]; ok {
			return true
		}
	}
	return false
}

// purposes reports the flows both documents have whose purpose differs in
// a compared language, one change per new rule and language.
func (c *comparer) purposes(newOrder []flowKey, oldF, newF map[flowKey]flowInfo) {
	type rk struct {
		rule *spec.Rule
		lang string
	}
	seen := map[rk]int{} // index into c.out
	for _, k := range newOrder {
		of, ok := oldF[k]
		if !ok {
			continue
		}
		nf := newF[k]
		for _, l := range c.langs {
			op, ok1 := of.rule.Purposes.Get(l)
			np, ok2 := nf.rule.Purposes.Get(l)
			if !ok1 || !ok2 || spec.NormalizePurpose(op.Text) == spec.NormalizePurpose(np.Text) {
				continue
			}
			if i, ok := seen[rk{nf.rule, l}]; ok {
				c.out[i].Ports = append(c.out[i].Ports, k.ports)
				continue
			}
			seen[rk{nf.rule, l}] = len(c.out)
			c.out = append(c.out, Change{Kind: PurposeChanged, Severity: Warning, Group: k.group,
				From: nf.group.From, To: nf.group.To, Direction: nf.group.Direction,
				Protocol: k.proto, Ports: icmpless(k.proto, []spec.PortRange{k.ports}),
				Purpose: np.Text, OldPurpose: op.Text, Lang: l, Pos: nf.rule.Pos, OldPos: of.rule.Pos})
		}
	}
}

// purpose is a rule's plain-text purpose in the first compared language.
func (c *comparer) purpose(r *spec.Rule) string {
	return r.Purpose(c.langs...)
}

func icmpless(p spec.Protocol, rs []spec.PortRange) []spec.PortRange {
	if p == spec.ICMP || len(rs) == 0 {
		return nil
	}
	out := slices.Clone(rs)
	slices.SortFunc(out, spec.ComparePorts)
	return out
}

// sortChanges orders changes by group (the new document's order, then
// groups only the old one has), kind, protocol and first port.
func sortChanges(cs []Change, old, new *spec.Document) {
	rank := map[string]int{}
	for _, g := range new.Groups {
		if _, ok := rank[g.ID]; !ok {
			rank[g.ID] = len(rank)
		}
	}
	for _, g := range old.Groups {
		if _, ok := rank[g.ID]; !ok {
			rank[g.ID] = len(rank)
		}
	}
	first := func(rs []spec.PortRange) spec.PortRange {
		if len(rs) == 0 {
			return spec.PortRange{}
		}
		return rs[0]
	}
	sort.SliceStable(cs, func(i, j int) bool {
		a, b := &cs[i], &cs[j]
		if a.Group != b.Group {
			return rank[a.Group] < rank[b.Group]
		}
		if a.Kind != b.Kind {
			return slices.Index(kindOrder, a.Kind) < slices.Index(kindOrder, b.Kind)
		}
		if a.Protocol != b.Protocol {
			return a.Protocol < b.Protocol
		}
		pa, pb := first(a.Ports), first(b.Ports)
		if len(a.Ports) == 0 {
			pa = first(a.OldPorts)
		}
		if len(b.Ports) == 0 {
			pb = first(b.OldPorts)
		}
		if pa != pb {
			return spec.ComparePorts(pa, pb) < 0
		}
		return a.Lang < b.Lang
	})
}
