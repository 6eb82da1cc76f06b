// Package spec holds portspec's one typed model of the Deckhouse "network
// interaction" page: groups of firewall rules between node roles, each rule a
// protocol, a list of port ranges and a purpose in every language the input
// carries, each with the file:line:col it came from.
//
// Every parser fills this model and every generator reads it; nothing else
// is shared between them.
package spec

import (
	"cmp"
	"go/token"
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

// Protocols lists the known protocols in their canonical order.
var Protocols = []Protocol{TCP, UDP, ICMP}

// Role is a kind of party in a flow: a node role or the outside world.
type Role uint8

const (
	RoleUnknown  Role = iota // unknown
	RoleMaster               // master
	RoleNode                 // node
	RoleFrontend             // frontend
	RoleExternal             // external
)

// Roles lists the known roles in their canonical order.
var Roles = []Role{RoleMaster, RoleNode, RoleFrontend, RoleExternal}

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
	// Kind is the input format: "markdown" or "data".
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
	Purposes map[string]Purpose
	Pos      token.Position
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
func (r PortRange) Single() bool { return r.First == r.Last }

// Contains reports whether port p lies in the range.
func (r PortRange) Contains(p uint16) bool { return r.First <= p && p <= r.Last }

// ComparePorts orders port ranges by first port, then last port: the order
// of every sorted list of ranges and flows (for slices.SortFunc, cmp.Or).
func ComparePorts(a, b PortRange) int {
	return cmp.Or(cmp.Compare(a.First, b.First), cmp.Compare(a.Last, b.Last))
}

// Purpose returns the rule's purpose as plain text in the first of langs that
// it has, else in any language it has (the lexically first), else "".
func (r *Rule) Purpose(langs ...string) string {
	return r.PurposeIn(langs...).Text
}

// PurposeIn returns the rule's purpose in the first of langs that it has,
// else in English, else in the lexically first language it has.
func (r *Rule) PurposeIn(langs ...string) Purpose {
	// Not append(langs, "en"): that would write into the caller's array
	// (a Document's Languages, shared by concurrent readers) or allocate.
	for _, l := range langs {
		if p, ok := r.Purposes[l]; ok {
			return p
		}
	}
	if p, ok := r.Purposes["en"]; ok {
		return p
	}
	best := ""
	for l := range r.Purposes {
		if best == "" || l < best {
			best = l
		}
	}
	return r.Purposes[best]
}

// Title returns the group's heading in the first of langs that it has, else
// in English, else in any language (lexically first), else the id.
func (g *Group) Title(langs ...string) string {
	for _, l := range langs { // not append(langs, "en"): see PurposeIn
		if t, ok := g.Titles[l]; ok {
			return t
		}
	}
	if t, ok := g.Titles["en"]; ok {
		return t
	}
	best := ""
	for l := range g.Titles {
		if best == "" || l < best {
			best = l
		}
	}
	if best == "" {
		return g.ID
	}
	return g.Titles[best]
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
