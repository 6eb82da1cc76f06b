// Package overlay is the site's own changes on top of the document: rows a
// deployment adds (LDAP to the directory, an admin network's SSH, a
// monitoring server's scrape), rows it removes (modules it does not
// enable), and rows whose ports it replaces (an ingress inlet on 8080).
// portspec.yaml's `overlay` section holds them (gen/config reads it into an
// Overlay); Apply makes the document every generator sees, with each
// changed row marked as the site's (spec.Rule.Site).
//
// The overlay is not the document: the drift test, `portspec drift` and
// `portspec changes` compare the upstream document, and report an entry
// that no longer matches it (Apply's errors), because an entry that
// silently stopped applying after an upstream change would open or close
// the wrong ports.
package overlay

import (
	"fmt"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Overlay is the site's changes, applied in this order: Remove, Replace,
// Add. Every entry has the position of its entry in the config.
type Overlay struct {
	Remove  []Remove
	Replace []Replace
	Add     []Add
}

// Empty reports whether the overlay changes nothing.
func (o *Overlay) Empty() bool {
	return o == nil || len(o.Remove)+len(o.Replace)+len(o.Add) == 0
}

// Key names ports of rows: a group, a protocol and port ranges, written
// "Group/PROTOCOL/ports" ("NodesToNodes/TCP/7000-7999",
// "NodesToNodes/UDP/8469,8472", "NodesToNodes/ICMP").
type Key struct {
	Group    string
	Protocol spec.Protocol
	Ports    []spec.PortRange
}

// ParseKey reads a key.
func ParseKey(s string) (Key, error) {
	parts := strings.SplitN(s, "/", 3)
	bad := func(why string) (Key, error) {
		return Key{}, fmt.Errorf("%q is not a row key (%s): write Group/PROTOCOL/ports, such as NodesToNodes/TCP/7000-7999, NodesToNodes/UDP/8469,8472 or NodesToNodes/ICMP", s, why)
	}
	if len(parts) < 2 || parts[0] == "" {
		return bad("no group and protocol")
	}
	p, ok := spec.ParseProtocol(parts[1])
	if !ok {
		return bad("unknown protocol " + strconv.Quote(parts[1]))
	}
	k := Key{Group: parts[0], Protocol: p}
	if len(parts) == 2 {
		if p != spec.ICMP {
			return bad(p.String() + " without ports")
		}
		return k, nil
	}
	if p == spec.ICMP {
		return bad("ICMP has no ports")
	}
	ports, err := ParsePorts(strings.Split(parts[2], ","))
	if err != nil {
		return bad(err.Error())
	}
	k.Ports = ports
	return k, nil
}

// ParsePorts reads a list of ports and ranges as configs write them.
func ParsePorts(items []string) ([]spec.PortRange, error) {
	var out []spec.PortRange
	for _, it := range items {
		r, err := spec.ParsePortRange(strings.TrimSpace(it))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (k Key) String() string {
	if k.Protocol == spec.ICMP {
		return k.Group + "/ICMP"
	}
	s := make([]string, len(k.Ports))
	for i, r := range k.Ports {
		s[i] = r.String()
	}
	return k.Group + "/" + k.Protocol.String() + "/" + strings.Join(s, ",")
}

// Remove takes rows out of the document: the ports of Key (a row loses
// those of its ranges; a row left without ports, or an ICMP row, goes), or
// every row whose purpose matches Purpose (in Groups and of Protocol, when
// given). Exactly one of Key and Purpose is set.
type Remove struct {
	Key      *Key
	Purpose  *regexp.Regexp
	Groups   []string
	Protocol spec.Protocol // 0: any
	Reason   string
	Pos      token.Position
}

// Replace gives the row that holds Key's ports the ports Ports instead.
type Replace struct {
	Key    Key
	Ports  []spec.PortRange
	Reason string
	Pos    token.Position
}

// Add is a row of the site's own. Its group is Group (a group of the
// document, or one of spec.KnownGroups), or the group of the roles From →
// To: the document's or known group with those roles, else a group of the
// site's own (ExternalToNodes, …).
type Add struct {
	Group    string
	From, To spec.Role
	Protocol spec.Protocol
	Ports    []spec.PortRange
	// Purposes are the row's purpose per language (en, and ru when given).
	Purposes map[string]string
	Reason   string
	Pos      token.Position
}

// Apply returns the document with the overlay applied, a copy: doc is not
// changed. The error, when not nil, is a spec.ErrorList of the entries that
// match nothing in doc (each at its position in the config) and of rules
// the overlay made invalid; the document returned with it is the overlay
// as far as it applied.
func (o *Overlay) Apply(doc *spec.Document) (*spec.Document, error) {
	out := copyDocument(doc)
	if o.Empty() {
		return out, nil
	}
	var errs spec.Errors
	for i := range o.Remove {
		o.Remove[i].apply(out, &errs)
	}
	for i := range o.Replace {
		o.Replace[i].apply(out, &errs)
	}
	for i := range o.Add {
		o.Add[i].apply(out, &errs)
	}
	// A group the overlay emptied is gone: the site has none of its rows.
	groups := out.Groups[:0]
	for _, g := range out.Groups {
		if len(g.Rules) > 0 {
			groups = append(groups, g)
		}
	}
	out.Groups = groups
	if err := spec.Validate(out); err != nil {
		for _, e := range err.(spec.ErrorList) {
			errs.Add(e.Pos, "after the overlay: %s", e.Msg)
		}
	}
	have := map[string]bool{}
	for _, w := range out.Warnings {
		have[w.String()] = true
	}
	for _, w := range spec.Overlaps(out) {
		if !have[w.String()] {
			out.Warnings = append(out.Warnings, w)
		}
	}
	return out, errs.Err()
}

// copyDocument copies the parts of doc Apply changes: the groups and their
// rule lists (rules are values; their port slices are replaced, never
// written to).
func copyDocument(doc *spec.Document) *spec.Document {
	out := *doc
	out.Groups = make([]spec.Group, len(doc.Groups))
	for i, g := range doc.Groups {
		g.Rules = slices.Clone(g.Rules)
		out.Groups[i] = g
	}
	out.Warnings = slices.Clone(doc.Warnings)
	return &out
}

// find returns, for each of key's ranges, the index of the rule of g that
// lists exactly that range for key's protocol (-1 when none does).
func find(g *spec.Group, k Key) []int {
	if k.Protocol == spec.ICMP {
		for i, r := range g.Rules {
			if r.Protocol == spec.ICMP {
				return []int{i}
			}
		}
		return []int{-1}
	}
	at := make([]int, len(k.Ports))
	for j, pr := range k.Ports {
		at[j] = -1
		for i, r := range g.Rules {
			if r.Protocol == k.Protocol && slices.Contains(r.Ports, pr) {
				at[j] = i
				break
			}
		}
	}
	return at
}

// locate finds the rows of key k: its group, and for each of its ranges
// the index of the rule that lists it (find). A key that names a group,
// range or ICMP row the document does not have is reported (noMatch).
func locate(doc *spec.Document, k Key, what string, pos token.Position, errs *spec.Errors) (*spec.Group, []int, bool) {
	g := doc.Group(k.Group)
	if g == nil {
		noMatch(errs, pos, what, doc, k, k.Ports)
		return nil, nil, false
	}
	at := find(g, k)
	var missing []spec.PortRange
	for j, i := range at {
		if i < 0 && k.Protocol != spec.ICMP {
			missing = append(missing, k.Ports[j])
		}
	}
	if len(missing) > 0 || k.Protocol == spec.ICMP && at[0] < 0 {
		noMatch(errs, pos, what, doc, k, missing)
		return nil, nil, false
	}
	return g, at, true
}

// noMatch reports a key that names ports the document does not have,
// listing what the group does have for that protocol.
func noMatch(errs *spec.Errors, pos token.Position, what string, doc *spec.Document, k Key, missing []spec.PortRange) {
	g := doc.Group(k.Group)
	if g == nil {
		var ids []string
		for _, g := range doc.Groups {
			ids = append(ids, g.ID)
		}
		errs.Add(pos, "%s %s matches nothing: the document has no group %s (it has %s)", what, k, k.Group, strings.Join(ids, ", "))
		return
	}
	var have []string
	for _, r := range g.Rules {
		if r.Protocol == k.Protocol {
			have = append(have, r.Label())
		}
	}
	if len(have) == 0 {
		have = []string{"none"}
	}
	if k.Protocol == spec.ICMP {
		errs.Add(pos, "%s %s matches nothing: %s has no ICMP row", what, k, k.Group)
		return
	}
	errs.Add(pos, "%s %s matches nothing: %s has no row with %s %s (its %s rows: %s); the document changed, or the key has a typo", what, k, k.Group, k.Protocol, spec.FormatPorts(missing), k.Protocol, strings.Join(have, "; "))
}

func (e *Remove) apply(doc *spec.Document, errs *spec.Errors) {
	if e.Key != nil {
		e.applyKey(doc, errs)
		return
	}
	n := 0
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		if len(e.Groups) > 0 && !slices.Contains(e.Groups, g.ID) {
			continue
		}
		kept := g.Rules[:0]
		for _, r := range g.Rules {
			if (e.Protocol == 0 || r.Protocol == e.Protocol) && e.Purpose.MatchString(r.PurposeIn("en").Text) {
				n++
				continue
			}
			kept = append(kept, r)
		}
		g.Rules = kept
	}
	if n == 0 {
		where := "any group"
		if len(e.Groups) > 0 {
			where = strings.Join(e.Groups, ", ")
		}
		proto := ""
		if e.Protocol != 0 {
			proto = " " + e.Protocol.String()
		}
		errs.Add(e.Pos, "remove: no%s row of %s has a purpose matching %q: the document changed, or the pattern has a typo", proto, where, e.Purpose.String())
	}
}

func (e *Remove) applyKey(doc *spec.Document, errs *spec.Errors) {
	k := *e.Key
	g, at, ok := locate(doc, k, "remove", e.Pos, errs)
	if !ok {
		return
	}
	gone := map[int]bool{}
	for j, i := range at {
		r := &g.Rules[i]
		if k.Protocol == spec.ICMP {
			gone[i] = true
			continue
		}
		before := r.Ports
		r.Ports = slices.DeleteFunc(slices.Clone(r.Ports), func(p spec.PortRange) bool { return p == k.Ports[j] })
		if len(r.Ports) == 0 {
			gone[i] = true
			continue
		}
		if r.Site == nil {
			r.Site = &spec.SiteChange{Action: spec.SiteReplaced, Pos: e.Pos, Reason: e.Reason, DocumentPorts: before}
		}
	}
	kept := g.Rules[:0]
	for i, r := range g.Rules {
		if !gone[i] {
			kept = append(kept, r)
		}
	}
	g.Rules = kept
}

func (e *Replace) apply(doc *spec.Document, errs *spec.Errors) {
	k := e.Key
	g, at, ok := locate(doc, k, "replace", e.Pos, errs)
	if !ok {
		return
	}
	i := at[0]
	for _, j := range at[1:] {
		if j != i {
			errs.Add(e.Pos, "replace %s: its ports are in two rows (%s and %s): replace the ports of each row with an entry of its own", k, g.Rules[i].Label(), g.Rules[j].Label())
			return
		}
	}
	r := &g.Rules[i]
	before := r.Ports
	if r.Site != nil && len(r.Site.DocumentPorts) > 0 {
		before = r.Site.DocumentPorts
	}
	// The new ports take the place of the first replaced range; the row's
	// other ranges stay.
	var ports []spec.PortRange
	placed := false
	for _, p := range r.Ports {
		if !slices.Contains(k.Ports, p) {
			ports = append(ports, p)
			continue
		}
		if !placed {
			ports = append(ports, e.Ports...)
			placed = true
		}
	}
	r.Ports = ports
	r.Site = &spec.SiteChange{Action: spec.SiteReplaced, Pos: e.Pos, Reason: e.Reason, DocumentPorts: before}
}

func (e *Add) apply(doc *spec.Document, errs *spec.Errors) {
	g := e.group(doc, errs)
	if g == nil {
		return
	}
	for _, r := range g.Rules {
		if r.Protocol != e.Protocol {
			continue
		}
		if e.Protocol == spec.ICMP {
			errs.Add(e.Pos, "add: %s already has an ICMP row (at %s): this entry is not needed; remove it", g.ID, spec.FormatPosition(r.Pos))
			return
		}
		for _, p := range e.Ports {
			if slices.Contains(r.Ports, p) {
				errs.Add(e.Pos, "add: %s already has %s %s (at %s, %q): this entry is not needed; remove it", g.ID, e.Protocol, p, spec.FormatPosition(r.Pos), r.Purpose())
				return
			}
		}
	}
	var purposes spec.Purposes
	for l, p := range e.Purposes {
		purposes.Set(l, spec.Purpose{Text: p, Markdown: p})
	}
	g.Rules = append(g.Rules, spec.Rule{
		Protocol: e.Protocol,
		Ports:    slices.Clone(e.Ports),
		Purposes: purposes,
		Pos:      e.Pos,
		Site:     &spec.SiteChange{Action: spec.SiteAdded, Pos: e.Pos, Reason: e.Reason},
	})
}

// group finds or makes the group an added row goes in.
func (e *Add) group(doc *spec.Document, errs *spec.Errors) *spec.Group {
	if e.Group != "" {
		if g := doc.Group(e.Group); g != nil {
			return g
		}
		k, ok := spec.LookupGroup(e.Group)
		if !ok {
			var ids []string
			for _, g := range doc.Groups {
				ids = append(ids, g.ID)
			}
			errs.Add(e.Pos, "add: no group %s in the document (it has %s); name a group it has, or the roles with from and to", e.Group, strings.Join(ids, ", "))
			return nil
		}
		return newGroup(doc, k.ID, k.From, k.To, k.Direction, e.Pos)
	}
	for i := range doc.Groups {
		g := &doc.Groups[i]
		if g.Known && g.From == e.From && g.To == e.To {
			return g
		}
	}
	for _, k := range spec.KnownGroups() {
		if k.From == e.From && k.To == e.To {
			return newGroup(doc, k.ID, k.From, k.To, k.Direction, e.Pos)
		}
	}
	dir := spec.Ingress
	if e.To == spec.RoleExternal {
		dir = spec.Egress
	}
	return newGroup(doc, SiteGroupID(e.From, e.To), e.From, e.To, dir, e.Pos)
}

// SiteGroupID is the id of a group of the site's own, for roles no group of
// the page joins: "ExternalToNodes", "FrontendsToMasters".
func SiteGroupID(from, to spec.Role) string {
	name := func(r spec.Role) string {
		s := r.String()
		s = strings.ToUpper(s[:1]) + s[1:]
		if r != spec.RoleExternal {
			s += "s"
		}
		return s
	}
	return name(from) + "To" + name(to)
}

func newGroup(doc *spec.Document, id string, from, to spec.Role, dir spec.Direction, pos token.Position) *spec.Group {
	if g := doc.Group(id); g != nil {
		return g
	}
	title := fmt.Sprintf("The site's traffic from %s to %s", roleWords(from), roleWords(to))
	doc.Groups = append(doc.Groups, spec.Group{
		ID: id, Known: true, Titles: map[string]string{"en": title},
		From: from, To: to, Direction: dir, Pos: pos,
	})
	return &doc.Groups[len(doc.Groups)-1]
}

func roleWords(r spec.Role) string {
	switch r {
	case spec.RoleMaster:
		return "master nodes"
	case spec.RoleNode:
		return "nodes"
	case spec.RoleFrontend:
		return "frontend nodes"
	}
	return "outside the cluster"
}
