package compare

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Empty reports whether the documents compared equal.
func (r *Report) Empty() bool { return len(r.Changes) == 0 }

// Failing returns the changes that make a drift check fail: drift that is
// not acknowledged, and with strict also unacknowledged warnings.
func (r *Report) Failing(strict bool) []Change {
	var out []Change
	for _, c := range r.Changes {
		if c.Acknowledged {
			continue
		}
		if c.Severity == Drift || strict {
			out = append(out, c)
		}
	}
	return out
}

// counts returns the number of drift changes, warnings and acknowledged
// changes.
func (r *Report) counts() (drift, warn, ack int) {
	for _, c := range r.Changes {
		switch {
		case c.Acknowledged:
			ack++
		case c.Severity == Drift:
			drift++
		default:
			warn++
		}
	}
	return
}

// Summary is one line: how many changes of each severity.
func (r *Report) Summary() string {
	if r.Empty() {
		return "no changes"
	}
	drift, warn, ack := r.counts()
	s := fmt.Sprintf("%d change(s): %d drift, %d warning(s)", len(r.Changes), drift, warn)
	if ack > 0 {
		s += fmt.Sprintf(", %d acknowledged", ack)
	}
	return s
}

// View chooses how a report groups its changes.
type View uint8

const (
	// ByGroup lists changes under the document's groups (the drift view).
	ByGroup View = iota
	// ByRole lists the firewall changes of each role whose firewall they
	// concern: ports to open, to close, and moves (the changes view).
	ByRole
)

// section is a titled list of changes in a report.
type section struct {
	title   string
	role    spec.Role // ByRole: the role whose firewall the section is about
	changes []Change
}

func (r *Report) sections(v View) []section {
	var out []section
	if v == ByGroup {
		index := map[string]int{}
		for _, c := range r.Changes {
			title := fmt.Sprintf("%s (%s)", c.Group, flowRoles(c.From, c.To, c.Direction))
			i, ok := index[title]
			if !ok {
				i = len(out)
				index[title] = i
				out = append(out, section{title: title, role: spec.RoleUnknown})
			}
			out[i].changes = append(out[i].changes, c)
		}
		return out
	}
	for _, f := range r.Firewalls() {
		out = append(out, section{title: fmt.Sprintf("%s, %s", f.Role, f.Direction), role: f.Role, changes: f.Changes})
	}
	return out
}

// Firewall is the changes that concern the firewall of one role in one
// direction: a section of the changes view (ByRole).
type Firewall struct {
	Role      spec.Role
	Direction spec.Direction
	Changes   []Change
}

// Firewalls returns the report's changes per firewall they concern (the
// destination of ingress traffic, the source of egress traffic), in the
// order of the changes view: by role, then direction; within one, group
// changes, moves, ports to open, ports to close, then purposes. A move
// between groups whose firewalls differ (NTP from node→node to
// node→master) is in both: a move on one, a close on the other.
func (r *Report) Firewalls() []Firewall {
	var out []Firewall
	for _, role := range append(spec.Roles(), spec.RoleUnknown) {
		for _, dir := range []spec.Direction{spec.Ingress, spec.Egress, spec.DirectionUnknown} {
			var f *Firewall
			for _, c := range r.Changes {
				if (c.FirewallRole() == role && c.Direction == dir) ||
					(c.Kind == PortMoved && c.oldFirewallRole() == role && c.OldDirection == dir) {
					if f == nil {
						out = append(out, Firewall{Role: role, Direction: dir})
						f = &out[len(out)-1]
					}
					f.Changes = append(f.Changes, c)
				}
			}
			if f != nil {
				sort.SliceStable(f.Changes, func(i, j int) bool {
					return f.Changes[i].ActionFor(role).rank() < f.Changes[j].ActionFor(role).rank()
				})
			}
		}
	}
	return out
}

// Action is what a change means for the firewall of one role.
type Action string

// The actions, in the order a firewall's changes are listed.
const (
	// ActionGroup: a group was added or removed, or its roles changed.
	ActionGroup Action = "group"
	// ActionMove: ports of one purpose closed and others opened on this
	// firewall.
	ActionMove Action = "move"
	// ActionOpen: ports (or a protocol) to open.
	ActionOpen Action = "open"
	// ActionClose: ports to close, also the old side of a move to another
	// role's firewall.
	ActionClose Action = "close"
	// ActionPurpose: the same ports with a purpose worded differently.
	ActionPurpose Action = "purpose"
)

func (a Action) rank() int {
	switch a {
	case ActionGroup:
		return -1
	case ActionMove:
		return 0
	case ActionOpen:
		return 1
	case ActionClose:
		return 2
	}
	return 3
}

// ActionFor says what the change means for the firewall of role r (one of
// the Firewalls it is listed under): a move whose new ports are another
// role's is a close on r.
func (c *Change) ActionFor(r spec.Role) Action {
	switch c.Kind {
	case GroupAdded, GroupRemoved, RolesChanged:
		return ActionGroup
	case PortMoved:
		if c.FirewallRole() != r {
			return ActionClose
		}
		return ActionMove
	case PortAdded, ProtocolAdded:
		return ActionOpen
	case PortRemoved, ProtocolRemoved:
		return ActionClose
	}
	return ActionPurpose
}

func flowRoles(from, to spec.Role, dir spec.Direction) string {
	return fmt.Sprintf("%s → %s, %s", from, to, dir)
}

// firewallLine says what a change means for the firewall of role r.
func (c *Change) firewallLine(r spec.Role) string {
	ports := c.portsText
	peer := func(from, to spec.Role, dir spec.Direction) string {
		if dir == spec.Egress {
			return "to " + to.String()
		}
		return "from " + from.String()
	}
	switch c.Kind {
	case PortAdded, ProtocolAdded:
		return fmt.Sprintf("open %s %s [%s]: %q", ports(c.Ports), peer(c.From, c.To, c.Direction), c.Group, c.Purpose)
	case PortRemoved, ProtocolRemoved:
		return fmt.Sprintf("close %s %s [%s]: %q", ports(c.Ports), peer(c.From, c.To, c.Direction), c.Group, c.Purpose)
	case PortMoved:
		if c.FirewallRole() != r {
			return fmt.Sprintf("close %s %s [%s] (moved to %s as %s): %q", ports(c.OldPorts),
				peer(c.OldFrom, c.OldTo, c.OldDirection), c.OldGroup, c.Group, ports(c.Ports), c.Purpose)
		}
		s := fmt.Sprintf("move %s → %s %s [%s]", ports(c.OldPorts), ports(c.Ports), peer(c.From, c.To, c.Direction), c.Group)
		if c.OldGroup != c.Group {
			s = fmt.Sprintf("move %s [%s] → %s [%s] %s", ports(c.OldPorts), c.OldGroup, ports(c.Ports), c.Group, peer(c.From, c.To, c.Direction))
		}
		return s + fmt.Sprintf(": %q", c.Purpose)
	case PurposeChanged:
		return fmt.Sprintf("purpose of %s %s [%s] (%s): %q, was %q", ports(c.Ports), peer(c.From, c.To, c.Direction), c.Group, c.Lang, c.Purpose, c.OldPurpose)
	}
	return c.Describe()
}

// portsText is ports of the change's protocol as a report shows them
// ("4200,4201/TCP"; the protocol alone for ICMP or no ports).
func (c *Change) portsText(rs []spec.PortRange) string {
	if c.Protocol == spec.ICMP || len(rs) == 0 {
		return c.Protocol.String()
	}
	return spec.FormatPorts(rs) + "/" + c.Protocol.String()
}

// Describe says in one line what changed, without the position.
func (c *Change) Describe() string {
	ports := c.portsText
	switch c.Kind {
	case GroupAdded:
		return fmt.Sprintf("group %s added (%s)", c.Group, flowRoles(c.From, c.To, c.Direction))
	case GroupRemoved:
		return fmt.Sprintf("group %s removed (%s)", c.Group, flowRoles(c.From, c.To, c.Direction))
	case RolesChanged:
		return fmt.Sprintf("group %s: %s, was %s", c.Group, flowRoles(c.From, c.To, c.Direction), flowRoles(c.OldFrom, c.OldTo, c.OldDirection))
	case PortMoved:
		s := fmt.Sprintf("moved %s → %s", ports(c.OldPorts), ports(c.Ports))
		if c.OldGroup != c.Group {
			s = fmt.Sprintf("moved %s (%s, %s) → %s (%s, %s)", ports(c.OldPorts), c.OldGroup,
				flowRoles(c.OldFrom, c.OldTo, c.OldDirection), ports(c.Ports), c.Group, flowRoles(c.From, c.To, c.Direction))
		}
		s += fmt.Sprintf(": %q", c.Purpose)
		if c.OldPurpose != "" {
			s += fmt.Sprintf(" (was %q)", c.OldPurpose)
		}
		return s
	case PortAdded:
		return fmt.Sprintf("added %s: %q", ports(c.Ports), c.Purpose)
	case PortRemoved:
		return fmt.Sprintf("removed %s: %q", ports(c.Ports), c.Purpose)
	case ProtocolAdded:
		return fmt.Sprintf("protocol added %s (the ports were open for another protocol): %q", ports(c.Ports), c.Purpose)
	case ProtocolRemoved:
		return fmt.Sprintf("protocol removed %s (the ports stay open for another protocol): %q", ports(c.Ports), c.Purpose)
	case PurposeChanged:
		return fmt.Sprintf("purpose changed %s [%s]: %q, was %q", ports(c.Ports), c.Lang, c.Purpose, c.OldPurpose)
	}
	return string(c.Kind)
}

// where says where the change is: the new document's line, and for a
// removal or a move the old document's line too.
func (c *Change) where() string {
	var parts []string
	if c.Pos.IsValid() {
		parts = append(parts, "at "+c.Pos.String())
	}
	if c.OldPos.IsValid() && (c.Kind == PortMoved || c.Kind == PortRemoved || c.Kind == ProtocolRemoved || c.Kind == GroupRemoved || !c.Pos.IsValid()) {
		parts = append(parts, "was at "+c.OldPos.String())
	}
	return strings.Join(parts, ", ")
}

func (c *Change) tag() string {
	t := c.Severity.String()
	if c.Acknowledged {
		t += ", acknowledged"
	}
	return t
}

// WriteText writes a report for a terminal or a test log. The documents'
// text in it (group ids, file names, purposes) is escaped (spec.Escape):
// a line of the report is always one of ours.
func (r *Report) WriteText(w io.Writer, v View) error {
	var b strings.Builder
	esc := spec.Escape
	fmt.Fprintf(&b, "old: %s\nnew: %s\n%s\n", esc(r.Old), esc(r.New), r.Summary())
	for _, p := range r.Partial {
		fmt.Fprintf(&b, "WARNING: looks cut short: %s\n", esc(p))
	}
	for _, o := range r.Overlay {
		fmt.Fprintf(&b, "OVERLAY NO LONGER MATCHES: %s\n", esc(o))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", esc(n))
	}
	for _, s := range r.sections(v) {
		fmt.Fprintf(&b, "\n%s\n", esc(s.title))
		for _, c := range s.changes {
			desc := c.Describe()
			if v == ByRole {
				desc = c.firewallLine(s.role)
			}
			fmt.Fprintf(&b, "  %-8s %s\n", c.tag()+":", esc(desc))
			if wh := c.where(); wh != "" {
				fmt.Fprintf(&b, "           %s\n", esc(wh))
			}
			fmt.Fprintf(&b, "           key: %s\n", esc(c.Key()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteMarkdown writes a report fit for an issue or pull-request body.
func (r *Report) WriteMarkdown(w io.Writer, v View) error {
	var b strings.Builder
	fmt.Fprintf(&b, "**Old:** `%s`  \n**New:** `%s`  \n**%s**\n", mdCode(r.Old), mdCode(r.New), r.Summary())
	for _, p := range r.Partial {
		fmt.Fprintf(&b, "\n> **Warning: looks cut short:** %s\n", mdCell(p))
	}
	for _, o := range r.Overlay {
		fmt.Fprintf(&b, "\n> **The site's overlay no longer matches:** %s\n", mdCell(o))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\n> %s\n", mdCell(n))
	}
	for _, s := range r.sections(v) {
		fmt.Fprintf(&b, "\n### %s\n\n| Severity | Change | Where | Acknowledge key |\n| --- | --- | --- | --- |\n", mdCell(s.title))
		for _, c := range s.changes {
			desc := c.Describe()
			if v == ByRole {
				desc = c.firewallLine(s.role)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | `%s` |\n", c.tag(), mdCell(desc), mdCell(c.where()), mdCode(c.Key()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell makes text safe inside a markdown table cell (and escapes what
// no report may print raw, spec.Escape).
func mdCell(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "`", "'")
	return r.Replace(spec.Escape(s))
}

func mdCode(s string) string {
	return strings.NewReplacer("`", "'", "|", `\|`).Replace(spec.Escape(s))
}

type jsonChange struct {
	Key          string   `json:"key"`
	Kind         string   `json:"kind"`
	Severity     string   `json:"severity"`
	Acknowledged bool     `json:"acknowledged"`
	Group        string   `json:"group"`
	From         string   `json:"from"`
	To           string   `json:"to"`
	Direction    string   `json:"direction"`
	FirewallRole string   `json:"firewallRole"`
	Protocol     string   `json:"protocol,omitempty"`
	Ports        []string `json:"ports"`
	Purpose      string   `json:"purpose,omitempty"`
	OldGroup     string   `json:"oldGroup,omitempty"`
	OldPorts     []string `json:"oldPorts,omitempty"`
	OldPurpose   string   `json:"oldPurpose,omitempty"`
	Lang         string   `json:"lang,omitempty"`
	Pos          string   `json:"pos,omitempty"`
	OldPos       string   `json:"oldPos,omitempty"`
	Text         string   `json:"text"`
}

type jsonReport struct {
	Old       string       `json:"old"`
	New       string       `json:"new"`
	Languages []string     `json:"languages"`
	Summary   jsonSummary  `json:"summary"`
	Notes     []string     `json:"notes"`
	Partial   []string     `json:"partial,omitempty"`
	Overlay   []string     `json:"overlay,omitempty"`
	Changes   []jsonChange `json:"changes"`
}

type jsonSummary struct {
	Drift        int `json:"drift"`
	Warnings     int `json:"warnings"`
	Acknowledged int `json:"acknowledged"`
}

func portStrings(rs []spec.PortRange) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// MarshalJSON writes the report for machines: every change with its key,
// kind, severity, roles, ports and positions.
func (r *Report) MarshalJSON() ([]byte, error) {
	drift, warn, ack := r.counts()
	jd := jsonReport{Old: r.Old, New: r.New, Languages: append([]string{}, r.Languages...), Notes: append([]string{}, r.Notes...),
		Summary: jsonSummary{drift, warn, ack}, Changes: make([]jsonChange, 0, len(r.Changes)),
		Partial: r.Partial, Overlay: r.Overlay}
	for _, c := range r.Changes {
		jc := jsonChange{Key: c.Key(), Kind: string(c.Kind), Severity: c.Severity.String(),
			Acknowledged: c.Acknowledged, Group: c.Group, From: c.From.String(), To: c.To.String(),
			Direction: c.Direction.String(), FirewallRole: c.FirewallRole().String(),
			Ports: portStrings(c.Ports), Purpose: c.Purpose, OldGroup: c.OldGroup,
			OldPurpose: c.OldPurpose, Lang: c.Lang, Pos: spec.FormatPosition(c.Pos), OldPos: spec.FormatPosition(c.OldPos),
			Text: c.Describe()}
		if c.Kind != GroupAdded && c.Kind != GroupRemoved && c.Kind != RolesChanged {
			jc.Protocol = c.Protocol.String()
		}
		if len(c.OldPorts) > 0 {
			jc.OldPorts = portStrings(c.OldPorts)
		}
		jd.Changes = append(jd.Changes, jc)
	}
	return json.MarshalIndent(jd, "", "  ")
}
