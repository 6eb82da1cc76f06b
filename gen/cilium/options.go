package cilium

import (
	"fmt"
	"maps"
	"net/netip"
	"strconv"

	"github.com/portspec/portspec/internal/lazyre"

	"github.com/portspec/portspec/gen"
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
	// enable-node-selector-labels, so that rows from masters or frontends
	// may select their clients by node label (fromNodes). Off by default:
	// an agent without the flag rejects a whole policy that uses fromNodes
	// (docs/enforcement-facts.md, 7). The baseline never uses it.
	NodeSelectorLabels bool `json:"nodeSelectorLabels,omitempty"`
	// KubeProxyReplacement says Cilium replaces kube-proxy (default true, as
	// in Deckhouse). It decides what the comment on NodePort rows says.
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
	// Egress adds a host egress policy: the NodesToExternal rows plus the
	// infrastructure every node needs (DHCP, cloud metadata, DNS, NTP, the
	// cluster). Off by default: any host policy with egress rules makes the
	// nodes' egress default-deny, and a node then loses everything nobody
	// listed (package mirrors, LDAP, BGP peers).
	Egress bool `json:"egress,omitempty"`
	// TunnelPorts are the UDP ports of this cluster's VXLAN tunnel (the
	// tunnel-port of cilium-config in d8-cni-cilium). Default: every
	// tunnel port the document lists (a newer page lists all the
	// candidates Deckhouse picks from), or Deckhouse's known set when it
	// lists none.
	TunnelPorts []int `json:"tunnelPorts,omitempty"`
	// SSHFromWorld says where the baseline keeps SSH open from anywhere:
	// "masters" (the default: what the page says, ExternalToMaster 22),
	// "all" (every node: the way back in when a policy goes wrong) or
	// "none".
	SSHFromWorld string `json:"sshFromWorld,omitempty"`
	// NodeCIDRs are the networks the cluster's nodes live in. A node that
	// is still joining is `world` to Cilium; with NodeCIDRs its rows are
	// opened to these networks (fromCIDRSet) instead of to the world.
	NodeCIDRs []string `json:"nodeCIDRs,omitempty"`
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

// DefaultSelector returns the default node selector of a subject:
// Deckhouse's own node-role labels (neither key starts with a prefix Cilium
// filters out of host endpoints), {} for all nodes.
func DefaultSelector(s Subject) map[string]string {
	switch s {
	case Masters:
		return map[string]string{"node-role.kubernetes.io/control-plane": ""}
	case Frontends:
		return map[string]string{"node-role.deckhouse.io/frontend": ""}
	}
	return map[string]string{}
}

// deckhouseTunnelPorts are the VXLAN ports Deckhouse has used: Cilium's
// default 8472, 8469 (virtualization before 1.64), 4299 (1.64-1.70), 4298
// (1.71+ or with virtualization) and 4295-4297 (nested virtualization);
// modules/021-cni-cilium/hooks/discover_vxlan_port.go and the data file.
func deckhouseTunnelPorts() []spec.PortRange {
	return []spec.PortRange{{First: 4295, Last: 4299}, {First: 8469, Last: 8469}, {First: 8472, Last: 8472}}
}

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

// config is Options with defaults applied and checked.
type config struct {
	prefix       string
	selectors    map[Subject]map[string]string
	nodeSel      bool
	kpr          bool
	egress       bool
	nodePorts    spec.PortRange
	ranges       string
	icmp         []ICMPType
	tunnelPorts  []spec.PortRange // nil: from the document
	sshFromWorld string
	nodeCIDRs    []string
}

func (o Options) resolve() (*config, error) {
	c := &config{
		prefix:       o.NamePrefix,
		nodeSel:      o.NodeSelectorLabels,
		kpr:          true,
		egress:       o.Egress,
		ranges:       o.Ranges,
		icmp:         o.ICMP,
		sshFromWorld: o.SSHFromWorld,
		selectors:    map[Subject]map[string]string{},
	}
	if o.KubeProxyReplacement != nil {
		c.kpr = *o.KubeProxyReplacement
	}
	var e optionErrors
	c.resolveNames(o, &e)
	c.resolveVersion(o, &e)
	c.resolvePorts(o, &e)
	c.resolvePeers(o, &e)
	if len(e) > 0 {
		return nil, gen.JoinOptionErrors(e)
	}
	return c, nil
}

// optionErrors collects the errors of the target's options, each at its
// option's path (gen.OptionError), for the driver to place in portspec.yaml.
type optionErrors []*gen.OptionError

func (e *optionErrors) add(format string, args []any, keys ...string) {
	*e = append(*e, gen.OptionErrorf(gen.Option(Name, keys...), format, args...))
}

// resolveNames checks the name prefix and the node selectors (defaults:
// DefaultSelector), which must survive Cilium's host label filter.
func (c *config) resolveNames(o Options, e *optionErrors) {
	if c.prefix == "" {
		c.prefix = "portspec"
	} else if msgs := dnsLabel(c.prefix); msgs != "" {
		e.add("%s", []any{msgs}, "namePrefix")
	}
	for s, m := range map[Subject]map[string]string{Masters: o.NodeSelectors.Masters, Nodes: o.NodeSelectors.Nodes, Frontends: o.NodeSelectors.Frontends} {
		c.selectors[s] = DefaultSelector(s)
		if m != nil {
			c.selectors[s] = maps.Clone(m)
		}
		*e = append(*e, checkNodeSelector(gen.Option(Name, "nodeSelectors", string(s)), c.selectors[s])...)
	}
}

// resolveVersion decides what the cluster's Cilium can read: fromNodes
// and endPort need 1.16, so ranges default to expand before it.
func (c *config) resolveVersion(o Options, e *optionErrors) {
	minor, err := parseVersion(o.Version())
	if err != nil {
		e.add("%v", []any{err}, "ciliumVersion")
	}
	if c.nodeSel && err == nil && minor < nodeSelectorsSince {
		e.add("fromNodes is not in Cilium %s (the 1.15 CRD has no fromNodes); it needs 1.%d or later", []any{o.Version(), nodeSelectorsSince}, "nodeSelectorLabels")
	}
	switch c.ranges {
	case "":
		c.ranges = "endPort"
		if minor < endPortSince {
			c.ranges = "expand"
		}
	case "endPort":
		if err == nil && minor < endPortSince {
			e.add("endPort needs Cilium 1.%d or later, and ciliumVersion is %s: use expand or refuse", []any{endPortSince, o.Version()}, "ranges")
		}
	case "expand", "refuse":
	default:
		e.add("%q is not one of endPort, expand, refuse", []any{c.ranges}, "ranges")
	}
}

// resolvePorts checks the NodePort range, the ICMP types (default echo
// request in both families) and the tunnel ports.
func (c *config) resolvePorts(o Options, e *optionErrors) {
	npr := o.NodePortRange
	if npr == "" {
		npr = "30000-32767"
	}
	if r, err := spec.ParsePortRange(npr); err != nil {
		e.add("%v", []any{err}, "nodePortRange")
	} else {
		c.nodePorts = r
	}
	if len(c.icmp) == 0 {
		c.icmp = []ICMPType{{"IPv4", 8}, {"IPv6", 128}}
	}
	for i, t := range c.icmp {
		if (t.Family != "IPv4" && t.Family != "IPv6") || t.Type < 0 || t.Type > 255 {
			e.add("want family IPv4 or IPv6 and a type 0-255, got %s %d", []any{t.Family, t.Type}, "icmp", strconv.Itoa(i))
		}
	}
	for i, p := range o.TunnelPorts {
		if p < 1 || p > 65535 {
			e.add("%d is not a port 1-65535", []any{p}, "tunnelPorts", strconv.Itoa(i))
			continue
		}
		c.tunnelPorts = append(c.tunnelPorts, spec.PortRange{First: uint16(p), Last: uint16(p)})
	}
}

// resolvePeers checks where SSH from the world is open (default: the
// masters, as the page says) and the node networks joining nodes use.
func (c *config) resolvePeers(o Options, e *optionErrors) {
	switch c.sshFromWorld {
	case "":
		c.sshFromWorld = "masters"
	case "masters", "all", "none":
	default:
		e.add("%q is not one of masters, all, none", []any{c.sshFromWorld}, "sshFromWorld")
	}
	for i, s := range o.NodeCIDRs {
		p, err := netip.ParsePrefix(s)
		if err != nil || p.Masked() != p {
			e.add("%q is not a network in CIDR form such as 10.0.0.0/8", []any{s}, "nodeCIDRs", strconv.Itoa(i))
			continue
		}
		c.nodeCIDRs = append(c.nodeCIDRs, p.String())
	}
}

var dnsLabelRE = lazyre.New(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

func dnsLabel(s string) string {
	if len(s) > 40 || !dnsLabelRE().MatchString(s) {
		return fmt.Sprintf("%q must be lower-case letters, digits and '-', at most 40 characters", s)
	}
	return ""
}
