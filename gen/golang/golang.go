// Package golang is the Go target: it turns the model into a package of
// typed, documented constants and allocation-free lookups (by default
// generated/ports). It is the only package of portspec that imports
// jennifer; the package it writes imports only the standard library.
package golang

import (
	"fmt"
	"go/token"
	"path"
	"sort"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "go"

// DefaultDir is the target's folder under the output root when the config
// names none; its last element is the package name.
const DefaultDir = "ports"

// Generator is the Go target.
type Generator struct{}

// New returns the Go target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// options are the Go target's own options: none yet beyond dir and
// enabled, which gen/config handles. Decoding strictly still rejects a
// misspelt key.
type options struct{}

// Generate returns ports.go, rules.go and example_test.go.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	var o options
	if err := gen.DecodeOptions(Name, req.Options, &o); err != nil {
		return nil, err
	}
	dir := req.Dir
	if dir == "" {
		dir = DefaultDir
	}
	pkg := path.Base(dir)
	if !isPackageName(pkg) {
		return nil, gen.OptionErrorf(gen.Option(Name, "dir"), "the folder %q ends in %q, which is not a Go package name: use lower-case letters and digits", dir, pkg)
	}
	m, err := build(req.Doc, req.Idents)
	if err != nil {
		return nil, err
	}
	out := &gen.Output{Warnings: m.warnings}
	for _, f := range []struct {
		name string
		emit func(*model, string) ([]byte, error)
	}{
		{"ports.go", emitAPI},
		{"rules.go", emitRules},
		{"example_test.go", emitExamples},
	} {
		data, err := f.emit(m, pkg)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		out.Files = append(out.Files, gen.File{Path: f.name, Data: data})
	}
	return out, nil
}

func isPackageName(s string) bool {
	if s == "" || token.IsKeyword(s) || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// model is the document as the Go package presents it: names resolved,
// rules flattened in document order.
type model struct {
	doc      *spec.Document
	groups   []groupInfo // distinct group ids in document order
	rules    []ruleInfo
	warnings []string
}

type groupInfo struct {
	id, ident string
	title     string
	from, to  spec.Role
	dir       spec.Direction
	known     bool
	value     int // the Group constant's value (1-based)
}

type ruleInfo struct {
	group     *groupInfo
	rule      *spec.Rule
	purpose   string // English (or first language) plain text
	purposeRU string
	site      string      // "" for a row of the document, else what the site's overlay did
	consts    []portConst // one per port range, empty for ICMP
}

type portConst struct {
	name string // the identifier, or the base of a First/Last pair
	r    spec.PortRange
	key  string // the override key
}

// reservedNames are the package's own exported identifiers (and its
// example functions): no port constant may take them.
func reservedNames() []string {
	return []string{
		"Protocol", "Role", "Group", "PortRange", "Rule", "Rules",
		"TCP", "UDP", "ICMP",
		"RoleUnknown", "RoleMaster", "RoleNode", "RoleFrontend", "RoleExternal",
		"Lookup", "ByGroup", "Allowed", "Source", "SourceSHA256", "Groups",
		"ExampleLookup", "ExampleAllowed",
	}
}

// build resolves every name, in the order the naming rules give (see
// idents.go): the package's own identifiers, the groups, the overrides, then
// the derived names in document order. Override errors are collected and
// sorted.
func build(doc *spec.Document, idents map[string]string) (*model, error) {
	m := &model{doc: doc}
	n := newNames()
	for _, id := range reservedNames() {
		n.claim(holder{what: "package"}, id)
	}
	byID := m.nameGroups(n)
	m.warnings = append(m.warnings, overridesOfMissingGroups(idents, byID)...)
	overridden, err := claimOverrides(doc, idents, n)
	if err != nil {
		return nil, err
	}
	m.nameRules(n, byID, overridden)
	return m, nil
}

// nameGroups gives each distinct group id a Group constant, numbered in
// document order, and returns the groups by id.
func (m *model) nameGroups(n *names) map[string]*groupInfo {
	doc := m.doc
	seen := map[string]bool{}
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		if seen[g.ID] {
			continue
		}
		seen[g.ID] = true
		gin := groupInfo{id: g.ID, title: g.Title(doc.Languages...), from: g.From, to: g.To, dir: g.Direction, known: g.Known, value: len(m.groups) + 1}
		h := holder{group: g.ID, what: "group"}
		gin.ident = n.resolve(sanitizeIdent(g.ID, "Group"), h)
		n.claim(h, gin.ident)
		m.groups = append(m.groups, gin)
	}
	byID := make(map[string]*groupInfo, len(m.groups))
	for i := range m.groups {
		byID[m.groups[i].id] = &m.groups[i]
	}
	return byID
}

// overridesOfMissingGroups warns about overrides for a group the document
// lacks: most likely a typo. Keys for ports that another version of the
// document has are expected, and ignored quietly.
func overridesOfMissingGroups(idents map[string]string, byID map[string]*groupInfo) []string {
	var warnings []string
	for key := range idents {
		g, _, _ := strings.Cut(key, "/")
		if _, ok := byID[g]; !ok {
			warnings = append(warnings, fmt.Sprintf("idents: %q names group %q, which the document does not have; it is ignored", key, g))
		}
	}
	sort.Strings(warnings)
	return warnings
}

// claimOverrides claims the override of every port range the document has,
// in document order, before any derived name, so that derived names go
// around them. It returns the names by override key.
func claimOverrides(doc *spec.Document, idents map[string]string, n *names) (map[string]string, error) {
	var errs []*gen.OptionError
	overridden := map[string]string{} // key → name
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			for _, pr := range r.Ports {
				key := IdentKey(g.ID, r.Protocol, pr)
				name, ok := idents[key]
				if !ok || overridden[key] != "" {
					continue
				}
				if !isExportedIdent(name) {
					errs = append(errs, gen.OptionErrorf([]string{"idents", key}, "%q is not an exported Go identifier (ASCII letters, digits, _; upper-case first)", name))
					continue
				}
				for _, id := range emitted(name, pr) {
					if prev, taken := n.taken[id]; taken {
						errs = append(errs, gen.OptionErrorf([]string{"idents", key}, "%s is already taken by %s: choose another name", id, prev.what))
					}
				}
				n.claim(holder{group: g.ID, proto: r.Protocol, port: pr, what: "override " + key}, emitted(name, pr)...)
				overridden[key] = name
			}
		}
	}
	if len(errs) > 0 {
		return nil, gen.JoinOptionErrors(errs)
	}
	return overridden, nil
}

// nameRules flattens the rules in document order and names every port
// range: its override, else a name derived from the English purpose.
func (m *model) nameRules(n *names, byID map[string]*groupInfo, overridden map[string]string) {
	doc := m.doc
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		for ri := range g.Rules {
			r := &g.Rules[ri]
			info := ruleInfo{group: byID[g.ID], rule: r, purpose: r.Purpose(doc.Languages...)}
			if p, ok := r.Purposes.Get("ru"); ok {
				info.purposeRU = p.Text
			}
			if r.Site != nil {
				info.site = gen.OneLine(r.Site.String())
			}
			base := deriveName(r.PurposeIn("en").Text)
			for _, pr := range r.Ports {
				key := IdentKey(g.ID, r.Protocol, pr)
				name, ok := overridden[key]
				if !ok {
					h := holder{group: g.ID, proto: r.Protocol, port: pr, what: "rule at " + r.Pos.String()}
					name = n.resolve(derivedBase(base, g.ID, r, pr), h)
					n.claim(h, emitted(name, pr)...)
				}
				info.consts = append(info.consts, portConst{name: name, r: pr, key: key})
			}
			m.rules = append(m.rules, info)
		}
	}
}

// derivedBase is the name a port range asks for before collisions are
// resolved: the purpose's name, with the port appended when the rule has
// several, or <Group><PROTOCOL><port> when the purpose names nothing.
func derivedBase(fromPurpose, groupID string, r *spec.Rule, pr spec.PortRange) string {
	switch {
	case fromPurpose == "":
		return fmt.Sprintf("%s%s%d", sanitizeIdent(groupID, "Group"), r.Protocol, pr.First)
	case len(r.Ports) > 1:
		return fmt.Sprintf("%s%d", fromPurpose, pr.First)
	}
	return fromPurpose
}
