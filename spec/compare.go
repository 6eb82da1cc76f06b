package spec

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"
)

// ChangeKind names what changed between two documents.
type ChangeKind string

// The kinds of change, in the order a report lists them within a group.
const (
	GroupAdded   ChangeKind = "group-added"
	GroupRemoved ChangeKind = "group-removed"
	// RolesChanged: a group kept its id but its roles or direction changed.
	RolesChanged ChangeKind = "roles-changed"
	// PortMoved: ports of one purpose closed and others of the same purpose
	// opened (the same plain-text purpose, or in the same group a purpose
	// worded almost alike). A firewall change, listed as one move.
	PortMoved   ChangeKind = "moved"
	PortAdded   ChangeKind = "port-added"
	PortRemoved ChangeKind = "port-removed"
	// ProtocolAdded: the group already had these ports for another protocol.
	ProtocolAdded   ChangeKind = "protocol-added"
	ProtocolRemoved ChangeKind = "protocol-removed"
	// PurposeChanged: the same ports with a purpose worded differently.
	PurposeChanged ChangeKind = "purpose-changed"
)

var kindOrder = []ChangeKind{GroupAdded, GroupRemoved, RolesChanged, PortMoved, PortAdded,
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
	Kind     ChangeKind
	Severity Severity
	// Group, its roles and direction as the new document has them (the old
	// document's for removals).
	Group     string
	From, To  Role
	Direction Direction
	Protocol  Protocol
	// Ports are the ports added, removed, moved to or whose purpose changed;
	// nil for ICMP and for group changes.
	Ports []PortRange
	// Purpose is the plain-text purpose in the compared language (the new
	// document's, the old one's for removals).
	Purpose string
	// Old* describe the old side of a move, a purpose change or a change of
	// roles.
	OldGroup       string
	OldFrom, OldTo Role
	OldDirection   Direction
	OldPorts       []PortRange
	OldPurpose     string
	// Lang is the language of Purpose/OldPurpose for purpose changes.
	Lang string
	// Pos is where the change is in the new document: the row, or for a
	// removal the heading of the group it was removed from (zero when the
	// new document has no such group). OldPos is the row in the old one.
	Pos, OldPos token.Position
	// Acknowledged is set by Diff.Acknowledge for changes the user accepted.
	Acknowledged bool
}

// FirewallRole is the role whose firewall a change concerns: the
// destination of ingress traffic, the source of egress traffic.
func (c *Change) FirewallRole() Role {
	if c.Direction == Egress {
		return c.From
	}
	return c.To
}

func (c *Change) oldFirewallRole() Role {
	if c.OldDirection == Egress {
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

func portsKey(p Protocol, rs []PortRange) string {
	if len(rs) == 0 {
		return p.String()
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = r.String()
	}
	return p.String() + "/" + strings.Join(s, ",")
}

// Diff is the outcome of Compare.
type Diff struct {
	// Old and New name the compared documents (their Source).
	Old, New string
	// Languages are the languages whose purposes were compared: those both
	// documents carry.
	Languages []string
	Changes   []Change
	// Notes say what could not be compared (for example purposes, when the
	// documents share no language).
	Notes []string
}

// Compare returns the changes from old to new. Rules are keyed by (group,
// protocol, port range), never by purpose, so a renamed purpose is a
// purpose change and a renumbered port is a move. Only what decides a
// firewall and the purposes in the languages both documents carry are
// compared: positions, sources, input kinds, digests and headings' wording
// are not, so the data YAML and the markdown rendered from it compare equal.
func Compare(old, new *Document) *Diff {
	d := &Diff{Old: old.Source, New: new.Source, Languages: sharedLanguages(old, new)}
	if len(d.Languages) == 0 {
		d.Notes = append(d.Notes, fmt.Sprintf("purposes not compared: %s and %s share no language", old.Source, new.Source))
	}
	c := comparer{old: old, new: new, langs: d.Languages}
	c.groups()
	c.flows()
	d.Changes = c.out
	d.Notes = append(d.Notes, c.notes...)
	sortChanges(d.Changes, old, new)
	return d
}

// sharedLanguages returns the languages of both documents, English first.
func sharedLanguages(a, b *Document) []string {
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
	old, new *Document
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
	proto Protocol
	ports PortRange
}

// flowInfo is the group and rule a flow of one document comes from.
type flowInfo struct {
	group *Group
	rule  *Rule
}

// flowsOf indexes a document's flows; a flow listed twice (an invalid
// document) keeps its first rule.
func flowsOf(d *Document) (map[flowKey]flowInfo, []flowKey) {
	m := map[flowKey]flowInfo{}
	var order []flowKey
	for gi := range d.Groups {
		g := &d.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			ports := r.Ports
			if len(ports) == 0 {
				ports = []PortRange{{}}
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
	kind  ChangeKind
	group *Group
	rule  *Rule // the first rule of the chunk: its purpose and position
	proto Protocol
	ports []PortRange
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
func (c *comparer) chunks(order []flowKey, mine, other map[flowKey]flowInfo, portKind, protoKind ChangeKind) []*chunk {
	type ck struct {
		kind    ChangeKind
		group   string
		proto   Protocol
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
		if k.proto != ICMP && hasPorts(other, k) {
			kind = protoKind
		}
		id := ck{kind, k.group, k.proto, NormalizePurpose(c.purpose(f.rule))}
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
	for _, p := range Protocols {
		if p == k.proto {
			continue
		}
		if _, ok := m[flowKey{k.group, p, k.ports}]; ok {
			return true
		}
	}
	return false
}

// moves pairs removed and added chunks of the same protocol that carry the
// same purpose (anywhere in the document), then those in the same group
// whose purposes are worded almost alike ("webhook" → "webhook handler").
func (c *comparer) moves(removed, added []*chunk) {
	if len(c.langs) == 0 {
		return
	}
	pair := func(r, a *chunk) {
		r.used, a.used = true, true
		mv := Change{Kind: PortMoved, Severity: Drift, Group: a.group.ID,
			From: a.group.From, To: a.group.To, Direction: a.group.Direction,
			Protocol: a.proto, Ports: icmpless(a.proto, a.ports), Purpose: c.purpose(a.rule),
			OldGroup: r.group.ID, OldFrom: r.group.From, OldTo: r.group.To, OldDirection: r.group.Direction,
			OldPorts: icmpless(r.proto, r.ports), Pos: a.rule.Pos, OldPos: r.rule.Pos}
		if op := c.purpose(r.rule); op != mv.Purpose {
			mv.OldPurpose = op
		}
		c.out = append(c.out, mv)
	}
	movable := func(r, a *chunk) bool {
		return !r.used && !a.used && r.proto == a.proto && r.kind == PortRemoved && a.kind == PortAdded
	}
	// Exact purposes, through an index by (protocol, language, purpose):
	// prefer the same group, then any group.
	type pkey struct {
		proto      Protocol
		lang, text string
	}
	index := map[pkey][]*chunk{}
	for _, a := range added {
		for _, l := range c.langs {
			if p, ok := a.rule.Purposes[l]; ok {
				k := pkey{a.proto, l, NormalizePurpose(p.Text)}
				index[k] = append(index[k], a)
			}
		}
	}
	for _, sameGroup := range []bool{true, false} {
		for _, r := range removed {
		find:
			for _, l := range c.langs {
				p, ok := r.rule.Purposes[l]
				if !ok {
					continue
				}
				for _, a := range index[pkey{r.proto, l, NormalizePurpose(p.Text)}] {
					if movable(r, a) && (!sameGroup || r.group.ID == a.group.ID) {
						pair(r, a)
						break find
					}
				}
			}
		}
	}
	// Similar purposes within one group: best score first. Each group costs
	// removed × added comparisons, so a group with more than fuzzyLimit
	// pairs is left unmatched (and said so) rather than made slow.
	type cand struct {
		r, a  *chunk
		score float64
	}
	byGroup := map[string][2][]*chunk{}
	var groups []string
	for i, side := range [][]*chunk{removed, added} {
		for _, ch := range side {
			if ch.used {
				continue
			}
			e, ok := byGroup[ch.group.ID]
			if !ok {
				groups = append(groups, ch.group.ID)
			}
			e[i] = append(e[i], ch)
			byGroup[ch.group.ID] = e
		}
	}
	var cands []cand
	for _, g := range groups {
		e := byGroup[g]
		if len(e[0])*len(e[1]) > fuzzyLimit {
			c.notes = append(c.notes, fmt.Sprintf("group %s: %d ports removed and %d added: reworded purposes not matched as moves (too many to compare)", g, len(e[0]), len(e[1])))
			continue
		}
		aw := make([][]string, len(e[1]))
		for i, a := range e[1] {
			aw[i] = words(c.purpose(a.rule))
		}
		for _, r := range e[0] {
			rw := words(c.purpose(r.rule))
			for i, a := range e[1] {
				if movable(r, a) {
					if s := wordSimilarity(rw, aw[i]); s >= similarEnough {
						cands = append(cands, cand{r, a, s})
					}
				}
			}
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	for _, cd := range cands {
		if !cd.r.used && !cd.a.used {
			pair(cd.r, cd.a)
		}
	}
}

// fuzzyLimit bounds the purpose comparisons of one group (removed × added
// chunks) when looking for reworded moves.
const fuzzyLimit = 1 << 18

// similarEnough is the share of words two purposes must have in common to
// be taken for one purpose reworded ("runtime-audit-engine webhook" and
// "runtime-audit-engine webhook handler" share 2 of 3).
const similarEnough = 0.6

// purposes reports the flows both documents have whose purpose differs in
// a compared language, one change per new rule and language.
func (c *comparer) purposes(newOrder []flowKey, oldF, newF map[flowKey]flowInfo) {
	type rk struct {
		rule *Rule
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
			op, ok1 := of.rule.Purposes[l]
			np, ok2 := nf.rule.Purposes[l]
			if !ok1 || !ok2 || NormalizePurpose(op.Text) == NormalizePurpose(np.Text) {
				continue
			}
			if i, ok := seen[rk{nf.rule, l}]; ok {
				c.out[i].Ports = append(c.out[i].Ports, k.ports)
				continue
			}
			seen[rk{nf.rule, l}] = len(c.out)
			c.out = append(c.out, Change{Kind: PurposeChanged, Severity: Warning, Group: k.group,
				From: nf.group.From, To: nf.group.To, Direction: nf.group.Direction,
				Protocol: k.proto, Ports: icmpless(k.proto, []PortRange{k.ports}),
				Purpose: np.Text, OldPurpose: op.Text, Lang: l, Pos: nf.rule.Pos, OldPos: of.rule.Pos})
		}
	}
}

// purpose is a rule's plain-text purpose in the first compared language.
func (c *comparer) purpose(r *Rule) string {
	return r.Purpose(c.langs...)
}

func icmpless(p Protocol, rs []PortRange) []PortRange {
	if p == ICMP || len(rs) == 0 {
		return nil
	}
	out := slices.Clone(rs)
	slices.SortFunc(out, ComparePorts)
	return out
}

// NormalizePurpose folds a plain-text purpose for comparison: lower case,
// typographic quotes, dashes and non-breaking spaces made plain, leftover
// emphasis markers removed, white space folded, final full stop dropped. The
// seed's "node’s" and the data file's "node's" are then the same purpose.
func NormalizePurpose(s string) string {
	return strings.TrimRight(Fold(strings.ToLower(s), purposeRune, purposeSpace), ".")
}

// purposeRune drops leftover emphasis markers and makes typographic quotes,
// dashes and non-breaking spaces plain.
func purposeRune(r rune) rune {
	switch r {
	case '*', '`':
		return -1
	case '´':
		return '\''
	case '“', '”', '«', '»':
		return '"'
	case '\u00a0', '\u202f':
		return ' '
	}
	return plainPunct(r)
}

// purposeSpace is the white space NormalizePurpose folds: ASCII only, once
// purposeRune has made the non-breaking spaces plain; other Unicode spaces
// are kept as they are.
func purposeSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

// words returns the distinct words of a normalized purpose, sorted.
func words(purpose string) []string {
	w := strings.Fields(NormalizePurpose(purpose))
	slices.Sort(w)
	return slices.Compact(w)
}

// wordSimilarity is the Jaccard index of two sorted, distinct word lists.
func wordSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}

// sortChanges orders changes by group (the new document's order, then
// groups only the old one has), kind, protocol and first port.
func sortChanges(cs []Change, old, new *Document) {
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
	first := func(rs []PortRange) PortRange {
		if len(rs) == 0 {
			return PortRange{}
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
			return ComparePorts(pa, pb) < 0
		}
		return a.Lang < b.Lang
	})
}
