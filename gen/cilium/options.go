package cilium

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Options is the target's section of portspec.yaml (targets.cilium). Every
// field is optional; the zero value means the documented default.
type Options struct {
	// NamePrefix starts every object's metadata.name (default "portspec").
	NamePrefix string `json:"namePrefix,omitempty"`
	// NodeSelectors are the matchLabels selecting each destination role's
	// nodes. Defaults: masters node-role.kubernetes.io/control-plane: "",
	// frontends node-role.deckhouse.io/frontend: "", nodes {} (all nodes).
	NodeSelectors struct {
		Masters   map[string]string `json:"masters,omitempty"`
		Nodes     map[string]string `json:"nodes,omitempty"`
		Frontends map[string]string `json:"frontends,omitempty"`
	} `json:"nodeSelectors"`
	// NodeSelectorLabels says the cluster runs Cilium with
	// enable-node-selector-labels, so peers may be selected by node labels
	// (fromNodes). Off by default: peers are then Cilium entities.
	NodeSelectorLabels bool `json:"nodeSelectorLabels,omitempty"`
	// Peers overrides, per group id, who a group's traffic comes from
	// (ingress) or goes to (egress): Cilium entity names (remote-node, host,
	// kube-apiserver, health, world, cluster, all, …) or "nodes:masters",
	// "nodes:frontends", "nodes:all" (fromNodes, needs NodeSelectorLabels).
	Peers map[string][]string `json:"peers,omitempty"`
	// PodPeerKeywords: rows whose purpose contains one of these words (any
	// language, case-insensitive) are usually reached from pods (Prometheus
	// scraping metrics, the apiserver calling webhooks), so the `cluster`
	// entity is added to their peers. Default ["metrics", "webhook"]; an
	// empty list turns this off.
	PodPeerKeywords *[]string `json:"podPeerKeywords,omitempty"`
	// KubeProxyReplacement says Cilium replaces kube-proxy (default true, as
	// in Deckhouse). NodePort traffic is then translated before the host
	// firewall sees it, so rows inside NodePortRange cannot be enforced by a
	// host policy: they are emitted as comments and reported as warnings.
	KubeProxyReplacement *bool `json:"kubeProxyReplacement,omitempty"`
	// NodePortRange is the cluster's NodePort range (default "30000-32767").
	NodePortRange string `json:"nodePortRange,omitempty"`
	// CiliumVersion is the cluster's Cilium release (default
	// DefaultCiliumVersion). Before 1.16 port rules have no endPort, so
	// Ranges then defaults to "expand" and "endPort" is an error. The e2e
	// suite validates against this release's CRDs.
	CiliumVersion string `json:"ciliumVersion,omitempty"`
	// Ranges says how port ranges are written: "endPort" (the default from
	// Cilium 1.16 on), "expand" (one entry per port, the default before;
	// at most MaxExpand ports per range) or "refuse" (a range is an error).
	Ranges string `json:"ranges,omitempty"`
	// Egress turns the egress policy for NodesToExternal on (default) or
	// off. With it on, nodes may reach the outside world only on the listed
	// ports (plus everything inside the cluster): anything else a node
	// needs outside (package mirrors, LDAP, cloud APIs) must be added.
	Egress *bool `json:"egress,omitempty"`
	// ICMP lists the ICMP types an ICMP row allows. Default: echo request
	// in both families (IPv4 type 8, IPv6 type 128).
	ICMP []ICMPType `json:"icmp,omitempty"`
}

// ICMPType is one numeric ICMP type of one address family.
type ICMPType struct {
	Family string `json:"family"` // "IPv4" or "IPv6"
	Type   int    `json:"type"`
}

// MaxExpand bounds how many ports one range may expand to with
// Ranges: expand (each port becomes a list entry; 40 per rule).
const MaxExpand = 4096

// Default node selectors: Deckhouse's own node-role labels. Neither key
// starts with a prefix Cilium filters out of host endpoints.
var (
	DefaultMastersSelector   = map[string]string{"node-role.kubernetes.io/control-plane": ""}
	DefaultFrontendsSelector = map[string]string{"node-role.deckhouse.io/frontend": ""}
)

// Subject names a set of nodes a policy selects.
type Subject string

const (
	Masters   Subject = "masters"
	Nodes     Subject = "nodes"
	Frontends Subject = "frontends"
)

// subjectOf maps a node role to the policy that selects it.
func subjectOf(r spec.Role) (Subject, bool) {
	switch r {
	case spec.RoleMaster:
		return Masters, true
	case spec.RoleNode:
		return Nodes, true
	case spec.RoleFrontend:
		return Frontends, true
	}
	return "", false
}

// knownEntities are Cilium's entity names (api.EntitySlice in v1.20).
var knownEntities = []string{"all", "cluster", "cluster-mesh", "health", "host", "init", "ingress", "kube-apiserver", "none", "remote-node", "unmanaged", "world"}

// config is Options with defaults applied and checked.
type config struct {
	prefix    string
	selectors map[Subject]map[string]string
	nodeSel   bool
	peers     map[string][]string
	keywords  []string
	kpr       bool
	egress    bool
	nodePorts spec.PortRange
	ranges    string
	icmp      []ICMPType
}

func (o Options) resolve() (*config, error) {
	c := &config{
		prefix:   o.NamePrefix,
		nodeSel:  o.NodeSelectorLabels,
		peers:    o.Peers,
		keywords: []string{"metrics", "webhook"},
		kpr:      true,
		egress:   true,
		ranges:   o.Ranges,
		icmp:     o.ICMP,
		selectors: map[Subject]map[string]string{
			Masters:   DefaultMastersSelector,
			Nodes:     {},
			Frontends: DefaultFrontendsSelector,
		},
	}
	var errs []string
	if c.prefix == "" {
		c.prefix = "portspec"
	} else if msgs := dnsLabel(c.prefix); msgs != "" {
		errs = append(errs, "namePrefix: "+msgs)
	}
	for s, m := range map[Subject]map[string]string{Masters: o.NodeSelectors.Masters, Nodes: o.NodeSelectors.Nodes, Frontends: o.NodeSelectors.Frontends} {
		if m != nil {
			c.selectors[s] = m
		}
		errs = append(errs, checkNodeSelector("nodeSelectors."+string(s), c.selectors[s])...)
	}
	if o.PodPeerKeywords != nil {
		c.keywords = *o.PodPeerKeywords
	}
	if o.Egress != nil {
		c.egress = *o.Egress
	}
	if o.KubeProxyReplacement != nil {
		c.kpr = *o.KubeProxyReplacement
	}
	npr := o.NodePortRange
	if npr == "" {
		npr = "30000-32767"
	}
	if r, err := parseRange(npr); err != nil {
		errs = append(errs, "nodePortRange: "+err.Error())
	} else {
		c.nodePorts = r
	}
	minor, err := parseVersion(o.Version())
	if err != nil {
		errs = append(errs, "ciliumVersion: "+err.Error())
	}
	if c.nodeSel && err == nil && minor < nodeSelectorsSince {
		errs = append(errs, fmt.Sprintf("nodeSelectorLabels: fromNodes is not in Cilium %s (the 1.15 CRD has no fromNodes); it needs 1.%d or later", o.Version(), nodeSelectorsSince))
	}
	switch c.ranges {
	case "":
		c.ranges = "endPort"
		if minor < endPortSince {
			c.ranges = "expand"
		}
	case "endPort":
		if err == nil && minor < endPortSince {
			errs = append(errs, fmt.Sprintf("ranges: endPort needs Cilium 1.%d or later, and ciliumVersion is %s: use expand or refuse", endPortSince, o.Version()))
		}
	case "expand", "refuse":
	default:
		errs = append(errs, fmt.Sprintf("ranges: %q is not one of endPort, expand, refuse", c.ranges))
	}
	if len(c.icmp) == 0 {
		c.icmp = []ICMPType{{"IPv4", 8}, {"IPv6", 128}}
	}
	for i, t := range c.icmp {
		if (t.Family != "IPv4" && t.Family != "IPv6") || t.Type < 0 || t.Type > 255 {
			errs = append(errs, fmt.Sprintf("icmp[%d]: want family IPv4 or IPv6 and a type 0-255, got %s %d", i, t.Family, t.Type))
		}
	}
	// errs is sorted below: the order of visits does not matter.
	for id, ps := range o.Peers {
		if len(ps) == 0 {
			errs = append(errs, fmt.Sprintf("peers.%s: empty list (a group with no peers opens nothing; remove the group from the document instead)", id))
		}
		for _, p := range ps {
			if err := c.checkPeer(p); err != nil {
				errs = append(errs, fmt.Sprintf("peers.%s: %v", id, err))
			}
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("targets.cilium: %s", strings.Join(errs, "\ntargets.cilium: "))
	}
	return c, nil
}

var dnsLabelRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func dnsLabel(s string) string {
	if len(s) > 40 || !dnsLabelRE.MatchString(s) {
		return fmt.Sprintf("%q must be lower-case letters, digits and '-', at most 40 characters", s)
	}
	return ""
}

func (c *config) checkPeer(p string) error {
	if sub, ok := strings.CutPrefix(p, "nodes:"); ok {
		if !c.nodeSel {
			return fmt.Errorf("peer %q selects nodes by label (fromNodes), which needs Cilium's enable-node-selector-labels: set nodeSelectorLabels: true if the cluster has it, or use the remote-node entity", p)
		}
		if sub != "masters" && sub != "frontends" && sub != "all" {
			return fmt.Errorf("peer %q: want nodes:masters, nodes:frontends or nodes:all", p)
		}
		return nil
	}
	if !slices.Contains(knownEntities, p) {
		return fmt.Errorf("peer %q is not a Cilium entity (%s) nor nodes:<masters|frontends|all>", p, strings.Join(knownEntities, ", "))
	}
	return nil
}

// DefaultPeers returns the peers of a group with the documented defaults,
// before the per-row `cluster` addition:
//
//	from external          world
//	from any node          remote-node, host
//	from masters           remote-node, kube-apiserver (+ host when to masters)
//	                       with nodeSelectorLabels: nodes:masters (+ host)
//	from frontends         remote-node (+ host when to frontends)
//	                       with nodeSelectorLabels: nodes:frontends (+ host)
//	egress to external     world
//
// `host` (the node itself) is added only where the source role includes
// the destination node, so a host policy never opens more than the group
// says.
func DefaultPeers(g *spec.Group, nodeSelectorLabels bool) []string {
	if g.Direction == spec.Egress {
		if g.To == spec.RoleExternal {
			return []string{"world"}
		}
		return peersForSource(g.To, spec.RoleUnknown, nodeSelectorLabels)
	}
	return peersForSource(g.From, g.To, nodeSelectorLabels)
}

func peersForSource(from, to spec.Role, nodeSel bool) []string {
	var ps []string
	switch from {
	case spec.RoleExternal:
		return []string{"world"}
	case spec.RoleNode:
		return []string{"host", "remote-node"}
	case spec.RoleMaster:
		ps = []string{"remote-node", "kube-apiserver"}
		if nodeSel {
			ps = []string{"nodes:masters"}
		}
	case spec.RoleFrontend:
		ps = []string{"remote-node"}
		if nodeSel {
			ps = []string{"nodes:frontends"}
		}
	}
	if from == to {
		ps = append(ps, "host")
	}
	sort.Strings(ps)
	return ps
}

// peersFor returns the peers a rule of a group is opened to:
// Options.Peers for the group, else DefaultPeers, plus `cluster` for
// ingress rows whose purpose names a PodPeerKeywords word.
func (c *config) peersFor(g *spec.Group, r *spec.Rule) []string {
	ps := slices.Clone(c.peers[g.ID])
	if len(ps) == 0 {
		ps = DefaultPeers(g, c.nodeSel)
	}
	if g.Direction == spec.Ingress && c.podReachable(r) {
		ps = append(ps, "cluster")
	}
	sort.Strings(ps)
	return slices.Compact(ps)
}

func (c *config) podReachable(r *spec.Rule) bool {
	for _, p := range r.Purposes {
		text := strings.ToLower(p.Text)
		for _, k := range c.keywords {
			if k != "" && containsWord(text, strings.ToLower(k)) {
				return true
			}
		}
	}
	return false
}

// containsWord reports whether w occurs in s not glued to other letters.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || !isLetter(s[start-1])) && (end == len(s) || !isLetter(s[end])) {
			return true
		}
		i = start + 1
	}
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func parseRange(s string) (spec.PortRange, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	first, err1 := strconv.ParseUint(strings.TrimSpace(a), 10, 16)
	last, err2 := strconv.ParseUint(strings.TrimSpace(b), 10, 16)
	if err1 != nil || err2 != nil || first == 0 || last < first {
		return spec.PortRange{}, fmt.Errorf("%q is not a port range like 30000-32767", s)
	}
	return spec.PortRange{First: uint16(first), Last: uint16(last)}, nil
}
