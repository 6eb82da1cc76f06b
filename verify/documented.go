package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// ParseRoles reads a node's roles as --role gives them ("master,frontend",
// any case, repeats ignored) and adds node: every node is a node. An
// unknown name, or external (the outside world is not a node), is an
// error.
func ParseRoles(list string) ([]spec.Role, error) {
	roles := []spec.Role{spec.RoleNode}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		r, ok := spec.ParseRole(name)
		if !ok || r == spec.RoleExternal {
			return nil, fmt.Errorf("unknown node role %q: use master, node or frontend (a node is always a node)", name)
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	slices.Sort(roles)
	return roles, nil
}

// nodeRoles returns roles with node added, each once, in the model's order
// (master, node, frontend), in a new slice.
func nodeRoles(roles []spec.Role) []spec.Role {
	out := []spec.Role{spec.RoleNode}
	for _, r := range roles {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	slices.Sort(out)
	return out
}

// roleNames is "master, node".
func roleNames(roles []spec.Role) string {
	var s []string
	for _, r := range roles {
		s = append(s, r.String())
	}
	return strings.Join(s, ", ")
}

// accepts is what the generated host firewall of a node accepts: the
// ingress rules of each of its roles.
type accepts struct {
	plan *hostfw.Plan
}

func newAccepts(doc *spec.Document) accepts { return accepts{hostfw.Build(doc)} }

// rules returns the ingress rules a node of roles accepts, each once, in
// plan order.
func (a accepts) rules(roles []spec.Role) []hostfw.Rule {
	var out []hostfw.Rule
	seen := map[string]bool{}
	for _, r := range roles {
		for _, rule := range a.plan.Ingress(r) {
			if !seen[rule.Name] {
				seen[rule.Name] = true
				out = append(out, rule)
			}
		}
	}
	return out
}

// find returns the first rule a node of roles accepts protocol/port by
// (protocol in the document's spelling: TCP, UDP; anything else is never
// documented).
func (a accepts) find(roles []spec.Role, protocol string, port uint16) (hostfw.Rule, bool) {
	p, ok := spec.ParseProtocol(protocol)
	if !ok {
		return hostfw.Rule{}, false
	}
	for _, rule := range a.rules(roles) {
		if rule.Protocol != p {
			continue
		}
		for _, r := range rule.Ports {
			if r.Contains(port) {
				return rule, true
			}
		}
	}
	return hostfw.Rule{}, false
}

// GroupFor returns the known group that documents traffic from role from
// to role to: the group of exactly those roles, else the nearest one with
// node in place of either (every master and frontend is a node), else
// NodesToNodes. It is the group a finding's Entry suggests.
func GroupFor(from, to spec.Role) string {
	known := spec.KnownGroups()
	for _, try := range [][2]spec.Role{{from, to}, {spec.RoleNode, to}, {from, spec.RoleNode}} {
		for _, k := range known {
			if k.Direction == spec.Ingress && k.From == try[0] && k.To == try[1] {
				return k.ID
			}
		}
	}
	return "NodesToNodes"
}

// narrowest is the role that all of the role sets share besides node:
// master when every set has master, frontend when every set has frontend,
// else node.
func narrowest(sets ...[]spec.Role) spec.Role {
	for _, r := range []spec.Role{spec.RoleMaster, spec.RoleFrontend} {
		all := len(sets) > 0
		for _, s := range sets {
			all = all && slices.Contains(s, r)
		}
		if all {
			return r
		}
	}
	return spec.RoleNode
}
