package hostfw

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/portspec/portspec/internal/lazyre"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// Options are the settings both host-firewall targets share
// ("targets.ansible" and "targets.nftables" in portspec.yaml).
type Options struct {
	// CIDRs are the addresses of each role: "master", "node" (the nodes that
	// are neither masters nor frontends), "frontend" and "external" (the
	// outside world). The source set of role "node" is the union of master,
	// node and frontend, because every master and frontend is a node too.
	// master, node and frontend have no default: see PrivateRanges.
	CIDRs map[string][]string `json:"cidrs,omitempty"`
	// PrivateRanges fills the cluster roles that CIDRs does not name with
	// every private address (RFC 1918 and IPv6 unique-local): it opens the
	// masters-only ports to every private address, so it must be asked for.
	PrivateRanges bool `json:"privateRanges,omitempty"`
	// PodCIDRs are the cluster's pod subnets (ClusterConfiguration
	// podSubnetCIDR). They are a source only of the rows whose clients
	// (gen/clients) include pods. nil is DefaultPodCIDRs; [] is none.
	PodCIDRs []string `json:"podCIDRs,omitempty"`
	// Trusted are admin networks allowed to reach every port of every host
	// (and, with a drop output policy, to be reached). Default: none.
	Trusted []string `json:"trusted,omitempty"`
	// InputPolicy is the input chain's policy: "drop" (default) or "accept".
	InputPolicy string `json:"input_policy,omitempty"`
	// OutputPolicy is the output chain's policy: "accept" (default) or "drop".
	OutputPolicy string `json:"output_policy,omitempty"`
	// Table is the name of the nftables table portspec owns (inet family).
	Table string `json:"table,omitempty"`
	// Log logs what a drop policy drops, rate-limited (LogRate).
	Log bool `json:"log,omitempty"`
	// Mode is "enforce" (default) or "audit": in audit mode every chain
	// whose policy is drop gets policy accept and logs what it would drop.
	Mode string `json:"mode,omitempty"`
}

// Defaults for Options.
const (
	// DefaultPodCIDR is the podSubnetCIDR of Deckhouse's getting-started
	// configurations. ClusterConfiguration has no default (podSubnetCIDR is
	// required): read yours from the d8-cluster-configuration Secret.
	DefaultPodCIDR = "10.111.0.0/16"
	// DefaultTable is the nftables table portspec owns when the config
	// names none.
	DefaultTable = "portspec"
)

// privateCIDRs are the private ranges (RFC 1918, RFC 4193), and
// externalCIDRs anybody.
func privateCIDRs() []string {
	return []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}
}
func externalCIDRs() []string { return []string{"0.0.0.0/0", "::/0"} }

// Policies and modes.
const (
	Accept  = "accept"
	Drop    = "drop"
	Enforce = "enforce"
	Audit   = "audit"
)

// LogRate is the rate limit of the drop and audit logs: enough to see
// what is cut off, too little to flood the kernel log.
const LogRate = "5/minute"

// Log prefixes of the drop log and of audit mode.
const (
	DropLogPrefix  = "portspec drop: "
	AuditLogPrefix = "portspec audit: "
)

// Fallback says what the role address sets are when cidrs names none of
// master, node and frontend.
type Fallback int

const (
	// Required: it is an error (the nftables target: a ruleset must
	// name its peers).
	Required Fallback = iota
	// Inventory: they are left to the playbook, which takes the inventory's
	// host addresses (the Ansible target).
	Inventory
)

// Addrs are the prefixes of one set, split by family and sorted.
type Addrs struct {
	IPv4 []string
	IPv6 []string
}

// Empty reports whether a has no prefix.
func (a Addrs) Empty() bool { return len(a.IPv4)+len(a.IPv6) == 0 }

// Settings are Options checked and with defaults applied.
type Settings struct {
	// CIDRs holds the address set of every set name (SetNames): master,
	// node (already the union of every cluster role), frontend, pod and
	// external. With the Inventory fallback and no role named, master,
	// node and frontend are absent (RoleCIDRs is false).
	CIDRs map[Set]Addrs
	// RoleCIDRs reports whether the cluster roles' sets are known here
	// (named in cidrs, or the private ranges).
	RoleCIDRs    bool
	Trusted      Addrs
	InputPolicy  string
	OutputPolicy string
	Table        string
	Log          bool
	Audit        bool
}

var tableName = lazyre.New(`^[A-Za-z][A-Za-z0-9_]{0,31}$`)

// RoleName is the key of a role in options, vars and set names.
func RoleName(r spec.Role) string { return r.String() }

// SetRoles returns the roles that have address sets, in output order (a
// new slice each call).
func SetRoles() []spec.Role {
	return []spec.Role{spec.RoleMaster, spec.RoleNode, spec.RoleFrontend, spec.RoleExternal}
}

func clusterRoles() []spec.Role {
	return []spec.Role{spec.RoleMaster, spec.RoleNode, spec.RoleFrontend}
}

// Resolve checks the options of target and applies the defaults. Every
// problem is reported, each naming the option as "targets.<target>.<key>".
func (o Options) Resolve(target string, fallback Fallback) (*Settings, error) {
	var errs []*gen.OptionError
	// Each message starts with its option's key ("cidrs.node: …"): the
	// error carries that path, for the driver to place in portspec.yaml.
	bad := func(format string, args ...any) {
		key, msg, _ := strings.Cut(fmt.Sprintf(format, args...), ": ")
		errs = append(errs, gen.OptionErrorf(gen.Option(target, strings.Split(key, ".")...), "%s", msg))
	}
	s := &Settings{CIDRs: map[Set]Addrs{}, InputPolicy: o.InputPolicy, OutputPolicy: o.OutputPolicy, Table: o.Table, Log: o.Log}
	for key := range o.CIDRs {
		if r := roleByName(key); r == spec.RoleUnknown {
			bad("cidrs: unknown role %q: use master, node, frontend or external", key)
		}
	}
	raw := map[spec.Role][]string{spec.RoleExternal: externalCIDRs()}
	if list, ok := o.CIDRs[RoleName(spec.RoleExternal)]; ok {
		raw[spec.RoleExternal] = list
	}
	var named, missing []string
	for _, r := range clusterRoles() {
		list, ok := o.CIDRs[RoleName(r)]
		switch {
		case ok:
			named = append(named, RoleName(r))
		case o.PrivateRanges:
			list = privateCIDRs()
		default:
			missing = append(missing, RoleName(r))
		}
		raw[r] = list
	}
	s.RoleCIDRs = len(missing) == 0
	switch {
	case len(missing) == 0:
	case len(named) == 0 && fallback == Inventory:
		// The playbook takes the inventory's addresses.
	default:
		for _, m := range missing {
			bad("cidrs.%s: missing: name the addresses of the %s hosts (e.g. [10.0.1.0/24]), "+
				"or set targets.%s.privateRanges: true to accept every private address (RFC 1918, fc00::/7) where %s hosts are meant",
				m, m, target, m)
		}
	}
	// Every master and frontend is a node: the "node" set is their union.
	raw[spec.RoleNode] = slices.Concat(raw[spec.RoleMaster], raw[spec.RoleNode], raw[spec.RoleFrontend])
	for _, r := range SetRoles() {
		list := raw[r]
		if r == spec.RoleNode {
			list = o.CIDRs[RoleName(r)] // the union's other parts report their own errors
		}
		if _, err := parseAddrs(list); err != "" {
			bad("cidrs.%s: %s", RoleName(r), err)
		}
		if r == spec.RoleExternal || s.RoleCIDRs {
			s.CIDRs[Set(RoleName(r))], _ = parseAddrs(raw[r])
		}
	}
	pods := o.PodCIDRs
	if pods == nil {
		pods = []string{DefaultPodCIDR}
	}
	var err string
	if s.CIDRs[SetPod], err = parseAddrs(pods); err != "" {
		bad("podCIDRs: %s", err)
	}
	if s.Trusted, err = parseAddrs(o.Trusted); err != "" {
		bad("trusted: %s", err)
	}
	if s.InputPolicy == "" {
		s.InputPolicy = Drop
	}
	if s.OutputPolicy == "" {
		s.OutputPolicy = Accept
	}
	for key, p := range map[string]string{"input_policy": s.InputPolicy, "output_policy": s.OutputPolicy} {
		if p != Accept && p != Drop {
			bad("%s: %q is not a policy: use accept or drop", key, p)
		}
	}
	switch o.Mode {
	case "", Enforce:
	case Audit:
		s.Audit = true
	default:
		bad("mode: %q is not a mode: use enforce or audit", o.Mode)
	}
	if s.Table == "" {
		s.Table = DefaultTable
	}
	if !tableName().MatchString(s.Table) {
		bad("table: %q is not a usable nftables table name: use a letter, then letters, digits or _ (at most 32)", s.Table)
	}
	if len(errs) > 0 {
		return nil, gen.JoinOptionErrors(errs)
	}
	return s, nil
}

// Chain is what a base chain of policy p ends with under s: the policy it
// really gets and the rule before it ("" for none). A drop policy logs
// what it drops when s.Log; in audit mode it becomes accept and logs what
// it would have dropped.
func (s *Settings) Chain(p string) (policy, last string) {
	if p != Drop {
		return p, ""
	}
	switch {
	case s.Audit:
		return Accept, LogRule(AuditLogPrefix)
	case s.Log:
		return Drop, LogRule(DropLogPrefix)
	}
	return Drop, ""
}

// LogRule is the counted, rate-limited log rule with prefix. The limit
// comes first: nft runs a rule's statements in order, so "log … limit"
// would log every packet.
func LogRule(prefix string) string {
	return fmt.Sprintf("counter limit rate %s log prefix %q", LogRate, prefix)
}

func roleByName(name string) spec.Role {
	for _, r := range SetRoles() {
		if RoleName(r) == name {
			return r
		}
	}
	return spec.RoleUnknown
}

// parseAddrs parses prefixes (a bare address is a prefix of one), rejects
// host bits (10.1.2.3/8 is likely a typo for something), and returns them
// sorted, without repeats, split by family.
func parseAddrs(list []string) (Addrs, string) {
	var v4, v6 []netip.Prefix
	var errs []string
	for _, s := range list {
		p, err := netip.ParsePrefix(strings.TrimSpace(s))
		if err != nil {
			a, aerr := netip.ParseAddr(strings.TrimSpace(s))
			if aerr != nil {
				errs = append(errs, fmt.Sprintf("%q is not an address or CIDR prefix", s))
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		if p.Addr().Zone() != "" {
			errs = append(errs, fmt.Sprintf("%q has a zone: write the prefix without %%zone", s))
			continue
		}
		if p.Masked() != p {
			errs = append(errs, fmt.Sprintf("%q has host bits set: write %s", s, p.Masked()))
			continue
		}
		if p.Addr().Is4In6() {
			errs = append(errs, fmt.Sprintf("%q is an IPv4-mapped IPv6 prefix: write it as IPv4", s))
			continue
		}
		if p.Addr().Is4() {
			v4 = append(v4, p)
		} else {
			v6 = append(v6, p)
		}
	}
	return Addrs{IPv4: sortPrefixes(v4), IPv6: sortPrefixes(v6)}, strings.Join(errs, "; ")
}

func sortPrefixes(ps []netip.Prefix) []string {
	slices.SortFunc(ps, func(a, b netip.Prefix) int {
		if c := a.Addr().Compare(b.Addr()); c != 0 {
			return c
		}
		return a.Bits() - b.Bits()
	})
	ps = slices.Compact(ps)
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}
