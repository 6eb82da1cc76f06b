package parser

import (
	"bytes"
	"go/token"
	"io"
	"strings"

	"github.com/portspec/portspec/internal/yamlerr"
	"github.com/portspec/portspec/spec"
	"gopkg.in/yaml.v3"
)

// readData reads deckhouse-ports.yml, the data file the page's tables are
// generated from:
//
//	groups:
//	- group: MastersToMasters
//	  description: {en: …, ru: …}
//	  destinations:
//	  - ports: "2379, 2380"
//	    protocol: TCP
//	    description: {en: …, ru: …}
//
// It walks yaml.v3 nodes rather than decoding into structs, so that every
// finding has a line and column and every unknown key is reported.
func readData(r *reader) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(r.src.src))
	if err := dec.Decode(&root); err != nil {
		r.yamlError(err)
		return
	}
	// A second document after "---" would be ignored by a plain
	// yaml.Unmarshal; the data file has one.
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		r.errorf(r.nodePos(&extra), "a second YAML document starts here: deckhouse-ports.yml holds one document; remove the \"---\" and what follows, or merge it")
	} else if err != io.EOF {
		r.yamlError(err)
	}
	if len(root.Content) == 0 {
		r.errorf(r.src.lineCol(1, 1), "data document is empty: expected a top-level `groups:` list")
		return
	}
	top := resolve(root.Content[0])
	if top.Kind != yaml.MappingNode {
		r.errorf(r.nodePos(top), "expected a mapping with a top-level `groups:` list, found %s", kindName(top))
		return
	}
	found := false
	r.mapping(top, "unknown top-level key %q ignored: deckhouse-ports.yml has only `groups`", func(key string, v *yaml.Node) bool {
		if key != "groups" {
			return false
		}
		found = true
		if v.Kind != yaml.SequenceNode {
			r.errorf(r.nodePos(v), "`groups` must be a list of groups, found %s", kindName(v))
			return true
		}
		if len(v.Content) == 0 {
			r.errorf(r.nodePos(v), "`groups` is empty: the document has no rules, and firewalls generated from it would open no port at all; restore the groups (an emptied or truncated download?)")
		}
		for _, gn := range v.Content {
			r.readDataGroup(resolve(gn))
		}
		return true
	})
	if !found {
		r.errorf(r.nodePos(top), "no top-level `groups:` list: this is not a deckhouse-ports.yml data file")
	}
}

func (r *reader) readDataGroup(n *yaml.Node) {
	pos := r.nodePos(n)
	if n.Kind != yaml.MappingNode {
		r.errorf(pos, "a group must be a mapping with `group`, `description` and `destinations`, found %s", kindName(n))
		return
	}
	var id string
	var idNode, titles, dests *yaml.Node
	r.mapping(n, "unknown key %q in a group ignored: a group has `group`, `description` and `destinations`", func(key string, v *yaml.Node) bool {
		switch key {
		case "group":
			idNode = v
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				r.errorf(r.nodePos(v), "`group` must be a group id such as MastersToMasters")
			} else {
				id = strings.TrimSpace(v.Value)
			}
		case "description":
			titles = v
		case "destinations":
			dests = v
		default:
			return false
		}
		return true
	})
	if idNode == nil {
		r.errorf(pos, "group has no `group:` id: add one such as `group: MastersToMasters`")
	}
	if id == "" {
		return
	}
	if prev := r.doc.Group(id); prev != nil {
		r.errorf(r.nodePos(idNode), "group %s is defined twice (first at %s): merge the two", id, prev.Pos)
		return
	}
	g := newGroup(id, pos)
	if !g.Known {
		r.warnf(r.nodePos(idNode), "unknown group id %q: kept as a group of its own with unknown roles; portspec knows %s", id, knownIDs())
	}
	if titles != nil {
		for lang, t := range r.langMap(titles, "group description") {
			g.Titles[lang] = plainText(t)
		}
	}
	if dests == nil {
		r.errorf(pos, "group %s has no `destinations:` list", id)
	} else if dests.Kind != yaml.SequenceNode {
		r.errorf(r.nodePos(dests), "`destinations` must be a list, found %s", kindName(dests))
		r.damaged[id] = true
	} else {
		for _, dn := range dests.Content {
			if !r.readDestination(&g, resolve(dn)) {
				r.damaged[id] = true
			}
		}
	}
	r.doc.Groups = append(r.doc.Groups, g)
}

// readDestination adds the rules of one row to g and reports whether the row
// was read without errors.
func (r *reader) readDestination(g *spec.Group, n *yaml.Node) bool {
	pos := r.nodePos(n)
	if n.Kind != yaml.MappingNode {
		r.errorf(pos, "a destination must be a mapping with `ports`, `protocol` and `description`, found %s", kindName(n))
		return false
	}
	var portsNode, protoNode, descNode *yaml.Node
	r.mapping(n, "unknown key %q in a destination ignored: a destination has `ports`, `protocol` and `description`", func(key string, v *yaml.Node) bool {
		switch key {
		case "ports":
			portsNode = v
		case "protocol":
			protoNode = v
		case "description":
			descNode = v
		default:
			return false
		}
		return true
	})
	ok := true
	var ports []spec.PortRange
	if portsNode != nil {
		if portsNode.Kind != yaml.ScalarNode {
			r.errorf(r.nodePos(portsNode), "`ports` must be a string such as \"2379, 2380\" or \"7000-7999\", found %s", kindName(portsNode))
			ok = false
		} else {
			var msgs []string
			ports, msgs = parsePorts(portsNode.Value)
			for _, m := range msgs {
				r.errorf(r.nodePos(portsNode), "%s", m)
				ok = false
			}
		}
	}
	var protos []spec.Protocol
	if protoNode == nil {
		r.errorf(pos, "destination has no `protocol`: add TCP, UDP, ICMP or TCP/UDP")
		ok = false
	} else {
		var msg string
		if protoNode.Kind != yaml.ScalarNode {
			msg = "`protocol` must be TCP, UDP, ICMP or TCP/UDP, found " + kindName(protoNode)
		} else {
			protos, msg = parseProtocol(protoNode.Value)
		}
		if msg != "" {
			r.errorf(r.nodePos(protoNode), "%s", msg)
			ok = false
		}
	}
	var purposes spec.Purposes
	if descNode == nil {
		r.warnf(pos, "destination has no `description`: its purpose is empty")
	} else {
		m := r.langMap(descNode, "destination description")
		list := make([]spec.LangPurpose, 0, len(m))
		for lang, md := range m {
			list = append(list, spec.LangPurpose{Lang: lang, Purpose: spec.Purpose{Text: plainText(md), Markdown: strings.TrimSpace(md)}})
		}
		purposes = spec.MakePurposes(list)
	}
	if !ok {
		return false
	}
	for i, p := range protos {
		rule := spec.Rule{Protocol: p, Ports: ports, Purposes: purposes, Pos: pos}
		if i > 0 { // the rules of a TCP/UDP row must not share slices: each is a rule of its own in the model (Purposes, a value, may be shared)
			rule.Ports = append([]spec.PortRange(nil), ports...)
		}
		g.Rules = append(g.Rules, rule)
	}
	return true
}

// checkKeys reports keys that a mapping holds twice: yaml.v3 keeps both in
// its node tree, and reading only one of them would drop the other silently.
func (r *reader) checkKeys(n *yaml.Node) {
	if len(n.Content) < 4 {
		return
	}
	seen := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if prev, ok := seen[k.Value]; ok {
			r.errorf(r.nodePos(k), "key %q appears twice in this mapping (first at line %d): keep one", k.Value, prev.Line)
			continue
		}
		seen[k.Value] = k
	}
}

// langMap reads a {en: …, ru: …} mapping of language to markdown text.
func (r *reader) langMap(n *yaml.Node, what string) map[string]string {
	if n.Kind != yaml.MappingNode {
		r.errorf(r.nodePos(n), "%s must be a mapping of language to text (en: …, ru: …), found %s", what, kindName(n))
		return nil
	}
	m := make(map[string]string, len(n.Content)/2)
	keys := make(map[string]*yaml.Node, len(n.Content)/2)
	r.checkKeys(n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if v.Kind != yaml.ScalarNode {
			r.errorf(r.nodePos(v), "%s in %q must be text, found %s", what, k.Value, kindName(v))
			continue
		}
		lang := strings.TrimSpace(k.Value)
		if prev, ok := keys[lang]; ok {
			if prev.Value != k.Value { // the same key twice is checkKeys' error
				r.errorf(r.nodePos(k), "%s: the keys %q (line %d) and %q are both language %q once their spaces are trimmed: keep one", what, prev.Value, prev.Line, k.Value, lang)
			}
			continue
		}
		keys[lang] = k
		r.addLang(lang)
		m[lang] = v.Value
	}
	return m
}

// mapping walks the keys of a mapping node in document order, after
// reporting keys it holds twice, and calls field with each key and its value
// (aliases resolved). A key field does not know (it returns false) is warned
// about with unknownf, a format with one %q for the key: it is ignored, but
// never silently.
func (r *reader) mapping(n *yaml.Node, unknownf string, field func(key string, v *yaml.Node) bool) {
	r.checkKeys(n)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if !field(k.Value, v) {
			r.warnf(r.nodePos(k), unknownf, k.Value)
		}
	}
}

func (r *reader) nodePos(n *yaml.Node) token.Position {
	return r.src.lineCol(n.Line, n.Column)
}

// resolve follows a YAML alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string { return yamlerr.Kind(n) }

func knownIDs() string {
	known := spec.KnownGroups()
	ids := make([]string, len(known))
	for i, k := range known {
		ids[i] = k.ID
	}
	return strings.Join(ids, ", ")
}
