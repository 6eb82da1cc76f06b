// Package clients says who really connects to each row of the document on a
// Deckhouse cluster: host processes of which node roles, pods of which
// namespaces, the outside world, nodes that are still joining. The page only
// names roles ("nodes to masters"); a firewall built from roles alone either
// cuts off the pods that are the real clients of many rows (Prometheus
// scraping metrics ports, hubble-relay reading the hubble API) or, to let
// them through, opens the row to every pod.
//
// This is the one place that knowledge lives. Every target (cilium,
// kubernetes, nftables, ansible) asks it for a row's clients and renders
// them in its own terms; none guesses on its own. The default table is
// Default; portspec.yaml's `clients` list adds entries in front of it (see
// docs/clients.md, which names the Deckhouse source of each entry).
package clients

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Kind is a kind of client.
type Kind string

const (
	// Host is a process in the host network namespace of a node of one of
	// Client.Roles (kubelet, kube-apiserver, etcd, chrony, cilium-agent,
	// bashible, hostNetwork pods). Its packets carry the node's address.
	Host Kind = "host"
	// Pod is a pod (not hostNetwork) in Client.Namespace with
	// Client.Labels. Its packets carry the pod's address, unless they are
	// masqueraded on the way (see docs/clients.md).
	Pod Kind = "pod"
	// World is anything outside the cluster.
	World Kind = "world"
	// Joining is a node that is bootstrapping and not yet registered: the
	// cluster does not know its address as a node's yet (to Cilium it is
	// world), but it is inside the node networks.
	Joining Kind = "joining"
)

// Client is one kind of real client of a row.
type Client struct {
	Kind Kind `json:"kind"`
	// Roles are the node roles whose host processes connect (Host only):
	// master, node (every node), frontend.
	Roles []spec.Role `json:"-"`
	// Namespace and Labels select the client pods (Pod only). An empty
	// Namespace is any namespace: every pod of the cluster.
	Namespace string            `json:"namespace,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// AnyPod reports whether c stands for every pod of the cluster.
func (c Client) AnyPod() bool { return c.Kind == Pod && c.Namespace == "" && len(c.Labels) == 0 }

func (c Client) String() string {
	switch c.Kind {
	case Host:
		var rs []string
		for _, r := range c.Roles {
			rs = append(rs, r.String())
		}
		return "host of " + strings.Join(rs, "+")
	case Pod:
		if c.AnyPod() {
			return "any pod"
		}
		s := "pods in " + c.Namespace
		if c.Namespace == "" {
			s = "pods in any namespace"
		}
		if len(c.Labels) > 0 {
			var ls []string
			for _, k := range sortedKeys(c.Labels) {
				ls = append(ls, k+"="+c.Labels[k])
			}
			s += " with " + strings.Join(ls, ",")
		}
		return s
	}
	return string(c.Kind)
}

// Match says which rows an entry is about. Empty fields match everything;
// the fields given must all match.
type Match struct {
	// Groups are group ids (NodesToNodes, …).
	Groups []string
	// Protocol is TCP, UDP or ICMP; 0 is any.
	Protocol spec.Protocol
	// Ports: the rule has at least one of them (any overlap counts).
	Ports []spec.PortRange
	// Purpose is matched against the rule's English plain-text purpose
	// (case-insensitive).
	Purpose *regexp.Regexp
}

// Matches reports whether rule r of group g is one of the rows m names.
func (m Match) Matches(g *spec.Group, r *spec.Rule) bool {
	if len(m.Groups) > 0 && !slices.Contains(m.Groups, g.ID) {
		return false
	}
	if m.Protocol != 0 && m.Protocol != r.Protocol {
		return false
	}
	if len(m.Ports) > 0 && !overlaps(m.Ports, documentPorts(r)) {
		return false
	}
	if m.Purpose != nil && !m.Purpose.MatchString(r.PurposeIn("en").Text) {
		return false
	}
	return true
}

// documentPorts are the ports the document gives a row: a row whose ports
// the site's overlay replaced (an ingress inlet moved to 8080) has the
// same clients as the document's row.
func documentPorts(r *spec.Rule) []spec.PortRange {
	if r.Site != nil && r.Site.Action == spec.SiteReplaced && len(r.Site.DocumentPorts) > 0 {
		return r.Site.DocumentPorts
	}
	return r.Ports
}

func overlaps(a, b []spec.PortRange) bool {
	for _, x := range a {
		for _, y := range b {
			if x.First <= y.Last && y.First <= x.Last {
				return true
			}
		}
	}
	return false
}

// Entry is one fact of the table: the rows it matches have these clients.
type Entry struct {
	// Name identifies the entry in comments, warnings and overrides.
	Name    string
	Match   Match
	Clients []Client
	// Replace drops the clients that the group's roles give (and those of
	// later entries); otherwise the entry's clients are added to them.
	Replace bool
	// Why is the fact, with its upstream source.
	Why string
}

// Table is an ordered list of entries. The first Replace entry that matches
// a row ends the walk; additive entries before it all contribute.
type Table struct {
	entries []Entry
}

// New returns a table of the given entries followed by the defaults.
func New(overrides []Entry) *Table {
	return &Table{entries: append(slices.Clone(overrides), Default()...)}
}

// Entries returns the table's entries in order (a copy).
func (t *Table) Entries() []Entry { return slices.Clone(t.entries) }

// Row is what the table says about one rule.
type Row struct {
	Clients []Client
	// Entries are the names of the entries that matched, in order.
	Entries []string
}

// Has reports whether any client is of kind k.
func (r Row) Has(k Kind) bool {
	return slices.ContainsFunc(r.Clients, func(c Client) bool { return c.Kind == k })
}

// Pods returns the Pod clients.
func (r Row) Pods() []Client {
	var out []Client
	for _, c := range r.Clients {
		if c.Kind == Pod {
			out = append(out, c)
		}
	}
	return out
}

// HostRoles returns the roles of the Host clients, each once, in the order
// master, node, frontend.
func (r Row) HostRoles() []spec.Role {
	var out []spec.Role
	for _, want := range []spec.Role{spec.RoleMaster, spec.RoleNode, spec.RoleFrontend} {
		for _, c := range r.Clients {
			if c.Kind == Host && slices.Contains(c.Roles, want) && !slices.Contains(out, want) {
				out = append(out, want)
			}
		}
	}
	return out
}

// For returns the clients of rule r of group g: the clients its group's
// roles give (host processes of the source role, or the world for traffic
// from outside), plus the clients of every matching entry, up to and
// including the first matching Replace entry (which drops the role's
// clients and stops the walk). The result is in a stable order.
func (t *Table) For(g *spec.Group, r *spec.Rule) Row {
	var row Row
	base := roleClients(g)
	for _, e := range t.entries {
		if !e.Match.Matches(g, r) {
			continue
		}
		row.Entries = append(row.Entries, e.Name)
		if e.Replace {
			base = nil
			row.Clients = append(row.Clients, e.Clients...)
			break
		}
		row.Clients = append(row.Clients, e.Clients...)
	}
	row.Clients = dedupe(append(base, row.Clients...))
	return row
}

// roleClients are the clients the page's roles name: for ingress from a
// node role, host processes of that role; from the outside, the world. For
// egress, the clients are the host processes of the source role.
func roleClients(g *spec.Group) []Client {
	if !g.Known {
		return nil
	}
	switch g.From {
	case spec.RoleExternal:
		return []Client{{Kind: World}}
	case spec.RoleMaster, spec.RoleNode, spec.RoleFrontend:
		return []Client{{Kind: Host, Roles: []spec.Role{g.From}}}
	}
	return nil
}

func dedupe(cs []Client) []Client {
	var out []Client
	seen := map[string]bool{}
	for _, c := range cs {
		k := c.key()
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, c)
	}
	return out
}

func (c Client) key() string {
	return fmt.Sprintf("%s|%v|%s|%v", c.Kind, c.Roles, c.Namespace, labelsKey(c.Labels))
}

func labelsKey(m map[string]string) string {
	var b strings.Builder
	for _, k := range sortedKeys(m) {
		b.WriteString(k + "=" + m[k] + ",")
	}
	return b.String()
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
