// Package changes writes the report family's forms of a comparison (what
// `portspec changes --format html|csv` prints): per firewall, the ports to
// open, to close and the moves, highlighted, with the purposes in both
// languages. It is not a target: it reads a compare.Report, which targets
// may not (internal/layout), and shares the page and the cell safety with
// gen/report through gen/report/internal.
package changes

import (
	"go/token"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// entry is one change as a firewall sees it: one line of the table.
type entry struct {
	role      spec.Role
	direction spec.Direction
	action    compare.Action
	c         *compare.Change
	// The ports, group and peer the action is about (for the close that a
	// move to another firewall leaves behind: the old ones); old* the old
	// side of a move.
	protocol        spec.Protocol
	ports, oldPorts []spec.PortRange
	group, oldGroup string
	peer            spec.Role
	rule, oldRule   *spec.Rule
	pos, oldPos     token.Position
	severity        string
	acknowledged    bool
	key             string
	isGroups        bool
}

// entries lists the report's changes per firewall, in the order of
// compare.Report.Firewalls.
func entries(r *compare.Report, old, new *spec.Document) []entry {
	oldRules, newRules := rulesByPos(old), rulesByPos(new)
	var out []entry
	for _, f := range r.Firewalls() {
		for i := range f.Changes {
			c := &f.Changes[i]
			e := entry{role: f.Role, direction: f.Direction, action: c.ActionFor(f.Role), c: c,
				protocol: c.Protocol, ports: c.Ports, group: c.Group, peer: peerOf(c.From, c.To, c.Direction),
				rule: newRules[c.Pos], oldRule: oldRules[c.OldPos], pos: c.Pos, oldPos: c.OldPos,
				severity: c.Severity.String(), acknowledged: c.Acknowledged, key: c.Key()}
			switch c.Kind {
			case compare.GroupAdded, compare.GroupRemoved, compare.RolesChanged:
				e.isGroups = true
				e.rule, e.oldRule = nil, nil
			case compare.PortRemoved, compare.ProtocolRemoved:
				e.rule, e.pos = nil, token.Position{}
			case compare.PortMoved:
				if e.action == compare.ActionClose {
					// The old side, on the firewall it leaves.
					e.ports, e.group, e.peer = c.OldPorts, c.OldGroup, peerOf(c.OldFrom, c.OldTo, c.OldDirection)
					e.rule, e.pos = nil, token.Position{}
					break
				}
				e.oldPorts = c.OldPorts
				if c.OldGroup != c.Group {
					e.oldGroup = c.OldGroup
				}
			}
			out = append(out, e)
		}
	}
	return out
}

// peerOf is the other side of a firewall's rule: who connects, for
// ingress; where to, for egress.
func peerOf(from, to spec.Role, d spec.Direction) spec.Role {
	if d == spec.Egress {
		return to
	}
	return from
}

// rulesByPos indexes a document's rules by position (a change names its
// rows by position; the two rules of a "TCP/UDP" row share one and have
// the same purposes).
func rulesByPos(d *spec.Document) map[token.Position]*spec.Rule {
	m := map[token.Position]*spec.Rule{}
	for gi := range d.Groups {
		for ri := range d.Groups[gi].Rules {
			r := &d.Groups[gi].Rules[ri]
			if _, ok := m[r.Pos]; !ok {
				m[r.Pos] = r
			}
		}
	}
	return m
}

// purpose is the entry's purpose in one language and the code it is in:
// the new rule's, else the old one's (a removal), else the change's own
// (in the compared language).
func (e *entry) purpose(code string) (string, string) {
	switch {
	case e.rule != nil:
		return text.PurposeOf(e.rule, code)
	case e.oldRule != nil:
		return text.PurposeOf(e.oldRule, code)
	}
	return e.c.Purpose, "en"
}

// was is the old purpose of a reworded purpose or a moved port when it
// differs from the new one, and the code it is in; ok is false otherwise.
func (e *entry) was(code string) (string, string, bool) {
	if e.rule == nil || e.oldRule == nil || (e.action != compare.ActionPurpose && e.action != compare.ActionMove) {
		return "", "", false
	}
	now, _ := text.PurposeOf(e.rule, code)
	then, in := text.PurposeOf(e.oldRule, code)
	return then, in, then != now
}

// actionKey is the label of an action.
func actionKey(a compare.Action) text.Key {
	switch a {
	case compare.ActionOpen:
		return text.OpenAction
	case compare.ActionClose:
		return text.CloseAction
	case compare.ActionMove:
		return text.MoveAction
	case compare.ActionGroup:
		return text.GroupAction
	}
	return text.PurposeAction
}

// severityKey is the label of a severity.
func severityKey(s string) text.Key {
	if s == compare.Drift.String() {
		return text.Drift
	}
	return text.WarningSeverity
}

// portsText is ports as the tables write them: "4200, 4201/TCP", "ICMP".
func portsText(p spec.Protocol, rs []spec.PortRange) string {
	if p == spec.ICMP || len(rs) == 0 {
		return p.String()
	}
	return spec.FormatPorts(rs) + "/" + p.String()
}
