package hostfw

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/portspec/portspec/spec"
)

// Options are the settings both host-firewall targets share
// ("targets.ansible" and "targets.nftables" in portspec.yaml).
type Options struct {
	// CIDRs are the addresses of each role: "master", "node" (the nodes that
	// are neither masters nor frontends), "frontend" and "external" (the
	// outside world). The source set of role "node" is the union of master,
	// node and frontend, because every master and frontend is a node too.
	CIDRs map[string][]string `json:"cidrs,omitempty"`
	// Trusted are sources (and, with a drop output policy, destinations)
	// always let through: the pod and service subnets, an admin network.
	Trusted []string `json:"trusted,omitempty"`
	// InputPolicy is the input chain's policy: "drop" (default) or "accept".
	InputPolicy string `json:"input_policy,omitempty"`
	// OutputPolicy is the output chain's policy: "accept" (default) or "drop".
	OutputPolicy string `json:"output_policy,omitempty"`
	// Table is the name of the nftables table portspec owns (inet family).
	Table string `json:"table,omitempty"`
}

// Defaults for Options. The cluster roles default to the private ranges
// (RFC 1918 and IPv6 unique-local): correct for most clusters, too wide for
// some; narrow them in the config. Trusted defaults to the pod and service
// subnets of a Deckhouse cluster created with the default ClusterConfiguration.
var (
	defaultClusterCIDRs  = []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"}
	defaultExternalCIDRs = []string{"0.0.0.0/0", "::/0"}
	defaultTrusted       = []string{"10.111.0.0/16", "10.222.0.0/16"}
)

// Policies.
const (
	Accept = "accept"
	Drop   = "drop"
)

// DefaultTable is the nftables table portspec owns when the config names none.
const DefaultTable = "portspec"

// Addrs are the prefixes of one role, split by family and sorted.
type Addrs struct {
	IPv4 []string
	IPv6 []string
}

// Settings are Options checked and with defaults applied.
type Settings struct {
	// CIDRs holds master, node (already the union of every cluster role),
	// frontend and external.
	CIDRs        map[spec.Role]Addrs
	Trusted      Addrs
	InputPolicy  string
	OutputPolicy string
	Table        string
}

var tableName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,31}$`)

// RoleName is the key of a role in options, vars and set names.
func RoleName(r spec.Role) string { return r.String() }

// SetRoles returns the roles that have address sets, in output order (a
// new slice each call).
func SetRoles() []spec.Role {
	return []spec.Role{spec.RoleMaster, spec.RoleNode, spec.RoleFrontend, spec.RoleExternal}
}

// Resolve checks the options of target and applies the defaults. Every
// problem is reported, each naming the option as "targets.<target>.<key>".
func (o Options) Resolve(target string) (*Settings, error) {
	var errs []string
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Sprintf("targets.%s.", target)+fmt.Sprintf(format, args...))
	}
	s := &Settings{CIDRs: map[spec.Role]Addrs{}, InputPolicy: o.InputPolicy, OutputPolicy: o.OutputPolicy, Table: o.Table}
	for key := range o.CIDRs {
		if r := roleByName(key); r == spec.RoleUnknown {
			bad("cidrs: unknown role %q: use master, node, frontend or external", key)
		}
	}
	raw := map[spec.Role][]string{}
	for _, r := range SetRoles() {
		list, ok := o.CIDRs[RoleName(r)]
		if !ok {
			list = defaultClusterCIDRs
			if r == spec.RoleExternal {
				list = defaultExternalCIDRs
			}
		}
		raw[r] = list
	}
	// Every master and frontend is a node: the "node" set is their union.
	raw[spec.RoleNode] = slices.Concat(raw[spec.RoleMaster], raw[spec.RoleNode], raw[spec.RoleFrontend])
	for _, r := range SetRoles() {
		a, err := parseAddrs(raw[r])
		if err != "" {
			bad("cidrs.%s: %s", RoleName(r), err)
		}
		s.CIDRs[r] = a
	}
	trusted := o.Trusted
	if trusted == nil {
		trusted = defaultTrusted
	}
	var err string
	if s.Trusted, err = parseAddrs(trusted); err != "" {
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
	if s.Table == "" {
		s.Table = DefaultTable
	}
	if !tableName.MatchString(s.Table) {
		bad("table: %q is not a usable nftables table name: use a letter, then letters, digits or _ (at most 32)", s.Table)
	}
	if len(errs) > 0 {
		slices.Sort(errs)
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return s, nil
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
