package ansible

import (
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// Vars is the whole vars file. Keys are prefixed portspec_ so that they
// cannot clash with a playbook's own variables.
type Vars struct {
	Source       Unsafe `yaml:"portspec_source"`
	SHA256       Unsafe `yaml:"portspec_sha256"`
	Table        string `yaml:"portspec_table"`
	InputPolicy  string `yaml:"portspec_input_policy"`
	OutputPolicy string `yaml:"portspec_output_policy"`
	// Mode is enforce or audit; Log whether drops are logged.
	Mode string `yaml:"portspec_mode"`
	Log  bool   `yaml:"portspec_log"`
	// Chains: input and output → the policy each chain really gets and the
	// rule before it (the drop or audit log, "" for none), as the nftables
	// rulesets have them (hostfw.Settings.Chain).
	Chains map[string]Chain `yaml:"portspec_chains"`
	// RoleGroups: role → inventory groups of the hosts that have it.
	RoleGroups map[string][]string `yaml:"portspec_role_groups"`
	// RoleCIDRs: role → addresses; "node" already includes masters and
	// frontends, "external" is the outside world. master, node and
	// frontend are here only when the config names them: else the example
	// playbook takes the inventory's host addresses of each role's groups.
	RoleCIDRs map[string]Addrs `yaml:"portspec_role_cidrs"`
	// PodCIDRs: the pod subnets, the source of the rows whose clients
	// include pods.
	PodCIDRs Addrs `yaml:"portspec_pod_cidrs"`
	// Trusted: admin networks allowed everywhere (empty by default).
	Trusted Addrs `yaml:"portspec_trusted_cidrs"`
	// Rules: destination role → rules. master, node and frontend hold
	// ingress rules; external holds the egress rules of the nodes.
	Rules map[string][]Rule `yaml:"portspec_rules"`
}

// Chain is the policy of a base chain and the rule before it.
type Chain struct {
	Policy string `yaml:"policy"`
	Last   string `yaml:"last"`
}

// Addrs are prefixes split by family, for nftables sets and ipv4/ipv6
// module parameters.
type Addrs struct {
	IPv4 []string `yaml:"ipv4"`
	IPv6 []string `yaml:"ipv6"`
}

// Rule is one rule of the document.
type Rule struct {
	Name      Unsafe `yaml:"name"`
	Group     Unsafe `yaml:"group"`
	Direction string `yaml:"direction"`
	Purpose   Unsafe `yaml:"purpose"`
	Protocol  string `yaml:"protocol"`
	// Ports are neutral: inclusive ranges; empty for ICMP.
	Ports []Ports `yaml:"ports,flow"`
	// From is the source role, To the destination role of the group.
	From string `yaml:"from"`
	To   string `yaml:"to"`
	// Sources are the address sets an ingress rule accepts, from the row's
	// real clients: master, node, frontend (keys of portspec_role_cidrs or
	// the inventory's addresses), pod (portspec_pod_cidrs), external.
	// Empty for egress, whose destination is To.
	Sources []string `yaml:"sources,flow"`
	// Clients describe the row's real clients, one line each.
	Clients []Unsafe `yaml:"clients"`
	// Notes are further comment lines (what governs NodePorts).
	Notes []string `yaml:"notes,omitempty"`
	// Site is set on a row that is the site's, not the document's (added
	// or changed by portspec.yaml's overlay): what the site did and why.
	Site Unsafe `yaml:"site,omitempty"`
	// Ready-made port forms; empty for ICMP (see ICMP).
	Firewalld []string `yaml:"firewalld,flow"`
	Ufw       []string `yaml:"ufw,flow"`
	Iptables  []string `yaml:"iptables,flow"`
	Nftables  []string `yaml:"nftables,flow"`
	ICMP      *ICMP    `yaml:"icmp,omitempty"`
}

// Ports is one inclusive range.
type Ports struct {
	First uint16 `yaml:"first"`
	Last  uint16 `yaml:"last"`
}

// ICMP holds the forms of an ICMP rule, per front end.
type ICMP struct {
	// Firewalld is the icmptype of a rich rule (icmp-type name="…").
	Firewalld string `yaml:"firewalld"`
	// Ufw is the type of a /etc/ufw/before.rules line: ufw's command line
	// (and community.general.ufw) has no ICMP rules.
	Ufw      string       `yaml:"ufw"`
	Iptables IptablesICMP `yaml:"iptables"`
	Nftables Families     `yaml:"nftables"`
}

// IptablesICMP are ansible.builtin.iptables parameters per family.
type IptablesICMP struct {
	IPv4 IptablesParams `yaml:"ipv4"`
	IPv6 IptablesParams `yaml:"ipv6"`
}

// IptablesParams are the protocol: and icmp_type: of one rule.
type IptablesParams struct {
	Protocol string `yaml:"protocol"`
	ICMPType string `yaml:"icmp_type"`
}

// Families is one string per address family.
type Families struct {
	IPv4 string `yaml:"ipv4"`
	IPv6 string `yaml:"ipv6"`
}

func buildVars(doc *spec.Document, plan *hostfw.Plan, set *hostfw.Settings, groups map[string][]string) *Vars {
	v := &Vars{
		Source: Unsafe(gen.OneLine(doc.Source)), SHA256: Unsafe(doc.SHA256),
		Table: set.Table, InputPolicy: set.InputPolicy, OutputPolicy: set.OutputPolicy,
		Mode: hostfw.Enforce, Log: set.Log, Chains: map[string]Chain{},
		RoleGroups: groups,
		RoleCIDRs:  map[string]Addrs{},
		PodCIDRs:   addrs(set.CIDRs[hostfw.SetPod]),
		Trusted:    addrs(set.Trusted),
		Rules:      map[string][]Rule{},
	}
	if set.Audit {
		v.Mode = hostfw.Audit
	}
	for name, p := range map[string]string{"input": set.InputPolicy, "output": set.OutputPolicy} {
		policy, last := set.Chain(p)
		v.Chains[name] = Chain{Policy: policy, Last: last}
	}
	for _, r := range hostfw.SetRoles() {
		if a, ok := set.CIDRs[hostfw.Set(hostfw.RoleName(r))]; ok {
			v.RoleCIDRs[hostfw.RoleName(r)] = addrs(a)
		}
		rules := []Rule{} // an empty list, not null, for roles without rules
		for _, hr := range plan.Rules[r] {
			rules = append(rules, rule(hr))
		}
		v.Rules[hostfw.RoleName(r)] = rules
	}
	return v
}

func addrs(a hostfw.Addrs) Addrs {
	return Addrs{IPv4: nonNil(a.IPv4), IPv6: nonNil(a.IPv6)}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func rule(r hostfw.Rule) Rule {
	out := Rule{
		Name: Unsafe(r.Name), Group: Unsafe(r.Group), Direction: r.Direction.String(),
		Purpose: Unsafe(r.Purpose), Protocol: hostfw.Proto(r.Protocol),
		Ports: []Ports{},
		From:  hostfw.RoleName(r.From), To: hostfw.RoleName(r.To),
		Firewalld: nonNil(hostfw.Firewalld(r)), Ufw: nonNil(hostfw.Ufw(r)),
		Iptables: nonNil(hostfw.Iptables(r)), Nftables: nonNil(hostfw.Nftables(r)),
		Sources: []string{}, Clients: []Unsafe{}, Notes: r.Notes, Site: Unsafe(r.Site),
	}
	for _, s := range r.Sources {
		out.Sources = append(out.Sources, string(s))
	}
	for _, c := range r.Clients {
		out.Clients = append(out.Clients, Unsafe(c))
	}
	for _, p := range r.Ports {
		out.Ports = append(out.Ports, Ports{First: p.First, Last: p.Last})
	}
	if r.Protocol == spec.ICMP {
		out.ICMP = &ICMP{
			Firewalld: hostfw.ICMPType,
			Ufw:       hostfw.ICMPType,
			Iptables: IptablesICMP{
				IPv4: IptablesParams{Protocol: hostfw.IptablesProtoV4, ICMPType: hostfw.ICMPType},
				IPv6: IptablesParams{Protocol: hostfw.IptablesProtoV6, ICMPType: hostfw.ICMPType},
			},
			Nftables: Families{IPv4: hostfw.NftICMPv4, IPv6: hostfw.NftICMPv6},
		}
	}
	return out
}
