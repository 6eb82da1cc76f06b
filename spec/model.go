// Package spec holds portspec's one typed model of the Deckhouse "network
// interaction" page: groups of firewall rules between node roles, each rule a
// protocol, a list of port ranges and a purpose in every language the input
// carries, each with the file:line:col it came from.
//
// Every parser fills this model; every generator, and the comparison of two
// documents (package compare), reads it. Nothing else is shared between them.
//
// A rule's purposes are a Purposes value, a small list ordered by language
// with the methods of a map (Get, Set, Delete, Len, All, Clone), not a
// map[string]Purpose as before: a parser carves every rule's list out of one
// array (MakePurposes) instead of allocating a map per row. Unlike the map,
// a copy of a Rule does not see Set or Delete on another copy. The JSON form
// is unchanged.
package spec

import (
	"cmp"
	"fmt"
	"go/token"
	"strconv"
	"strings"
)

//go:generate go tool stringer -type=Protocol,Role,Direction -linecomment -output=enum_string.go

// Protocol is a transport (or ICMP) protocol of a rule.
type Protocol uint8

const (
	ProtocolUnknown Protocol = iota // unknown
	TCP                             // TCP
	UDP                             // UDP
	ICMP                            // ICMP
)

// Protocols returns the known protocols in their canonical order, in a
// slice of the caller's own.
func Protocols() []Protocol { return []Protocol{TCP, UDP, ICMP} }

// ParseProtocol returns the protocol named s (TCP, UDP or ICMP, in any
// case).
func ParseProtocol(s string) (Protocol, bool) {
	for _, p := range Protocols() {
		if strings.EqualFold(s, p.String()) {
			return p, true
		}
	}
	return ProtocolUnknown, false
}

// Role is a kind of party in a flow: a node role or the outside world.
type Role uint8

const (
	RoleUnknown  Role = iota // unknown
	RoleMaster               // master
	RoleNode                 // node
	RoleFrontend             // frontend
	RoleExternal             // external
)

// Roles returns the known roles in their canonical order, in a slice of the
// caller's own.
func Roles() []Role { return []Role{RoleMaster, RoleNode, RoleFrontend, RoleExternal} }

// ParseRole returns the role named s (master, node, frontend, external, in
// any case).
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles() {
		if strings.EqualFold(s, r.String()) {
			return r, true
		}
	}
	return RoleUnknown, false
}

// Direction says which way a group's traffic crosses the cluster's edge, seen
// from the destination's firewall.
type Direction uint8

const (
	DirectionUnknown Direction = iota // unknown
	// Ingress: traffic arrives at cluster nodes (from other nodes or from
	// outside); the destination node's firewall must accept it.
	Ingress // ingress
	// Egress: traffic leaves cluster nodes for the outside world; the source
	// node's firewall must let it out.
	Egress // egress
)

// Document is one parsed input: the groups of rules in document order.
type Document struct {
	// Source names the input (a file path, a URL, "-" or the embedded name).
	Source string
	// Kind is the input format: "markdown", "html", "text" or "data".
	Kind string
	// SHA256 is the hex digest of the input bytes.
	SHA256 string
	// Languages are the languages whose purposes the input carries, in
	// order of preference ("en" before "ru").
	Languages []string
	Groups    []Group
	// Warnings are findings that do not make the document invalid but that a
	// user must see (for example a table under an unknown heading).
	Warnings []Diagnostic
	// Partial says why the input looks cut short (it holds only the first
	// groups of the page, its last row stops mid-way), one finding each;
	// empty for a document that looks whole. A comparison with a partial
	// document would report every missing port as closed: `portspec drift`
	// refuses one unless told otherwise.
	Partial []Diagnostic
}

// Group is one table of the page: the rules for one kind of traffic.
type Group struct {
	// ID is the upstream group id (MastersToMasters, …) or, for a heading no
	// alias covers, an id derived from the heading.
	ID string
	// Known is false for a group whose heading no alias covers; its roles and
	// direction are unknown.
	Known bool
	// Titles is the heading in each language the input has.
	Titles    map[string]string
	From      Role
	To        Role
	Direction Direction
	Pos       token.Position
	Rules     []Rule
}

// Rule is one row of a table for one protocol: a row "TCP/UDP" becomes two
// rules with the same position.
type Rule struct {
	Protocol Protocol
	// Ports is empty for ICMP. A single port is a range of one; "2379, 2380"
	// is two ranges.
	Ports []PortRange
	// Purposes is the row's purpose in each language of the input.
	Purposes Purposes
	Pos      token.Position
	// Site is nil for a row of the document; for a row the site's overlay
	// added, or whose ports it replaced, it says which entry and why.
	Site *SiteChange
}

// Purpose is a rule's purpose in one language.
type Purpose struct {
	// Text is the purpose as plain text: markdown emphasis, code spans and
	// links removed, entities decoded, whitespace folded.
	Text string
	// Markdown is the purpose exactly as the input wrote it (trimmed).
	Markdown string
}

// PortRange is an inclusive range of ports; a single port has First == Last.
type PortRange struct {
	First uint16
	Last  uint16
}

// Single reports whether the range holds exactly one port.
// ParsePortRange reads a port or a range as configs write them, "4206" or
// "30000-32767": ports 1-65535, the first not above the last. (Documents
// have more forms, read by the parser.)
func ParsePortRange(s string) (PortRange, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	first, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 16)
	last, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 16)
	if err1 != nil || err2 != nil || first == 0 || last < first {
		return PortRange{}, fmt.Errorf("%q is not a port or a port range such as 4206 or 30000-32767", s)
	}
	return PortRange{First: uint16(first), Last: uint16(last)}, nil
}

func (r PortRange) Single() bool { return r.First == r.Last }

// Contains reports whether port p lies in the range.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// ComparePorts orders port ranges by first port, then last port: the order
// of every sorted list of ranges and flows (for slices.SortFunc, cmp.Or).
func ComparePorts(a, b PortRange) int {
	return cmp.Or(cmp.Compare(a.First, b.First), cmp.Compare(a.Last, b.Last))
}

// Purpose returns the rule's purpose as plain text in the first of langs that
// it has, else as PurposeIn falls back, else "".
func (r *Rule) Purpose(langs ...string) string {
	return r.PurposeIn(langs...).Text
}

// PurposeIn returns the rule's purpose in the first of langs that it has,
// else in English, else in the lexically first language it has (the zero
// Purpose when it has none).
func (r *Rule) PurposeIn(langs ...string) Purpose {
	_, p, _ := r.Purposes.Pick(langs...)
	return p
}

// Title returns the group's heading in the first of langs that it has, else
// in English, else in the lexically first language it has, else the id.
func (g *Group) Title(langs ...string) string {
	if t, ok := inLanguage(g.Titles, langs); ok {
		return t
	}
	return g.ID
}

// inLanguage is the language fallback of titles (Purposes.Pick is that of
// purposes): the value for the first of langs that m has, else for English,
// else for the lexically first language m has; ok is false when m is empty.
func inLanguage[V any](m map[string]V, langs []string) (v V, ok bool) {
	// Not append(langs, "en"): that would write into the caller's array
	// (a Document's Languages, shared by concurrent readers) or allocate.
	for _, l := range langs {
		if v, ok := m[l]; ok {
			return v, true
		}
	}
	if v, ok := m["en"]; ok {
		return v, true
	}
	best, found := "", false
	for l := range m {
		if !found || l < best {
			best, found = l, true
		}
	}
	if !found {
		return v, false
	}
	return m[best], true
}

// Group returns the group with the given id, or nil.
func (d *Document) Group(id string) *Group {
	for i := range d.Groups {
		if d.Groups[i].ID == id {
			return &d.Groups[i]
		}
	}
	return nil
}

// RuleCount returns the number of rules in the document.
func (d *Document) RuleCount() int {
	n := 0
	for _, g := range d.Groups {
		n += len(g.Rules)
	}
	return n
}
