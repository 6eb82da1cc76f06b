package hostfw

import (
	"strings"

	"github.com/portspec/portspec/spec"
)

// The port forms of the firewall front ends. Each returns one string per
// entry the front end takes in one rule or module call.

// Firewalld returns "2379-2380/tcp" per range (ansible.posix.firewalld
// port:, firewall-cmd --add-port).
func Firewalld(r Rule) []string {
	return each(r.Ports, func(p spec.PortRange) string { return p.String() + "/" + Proto(r.Protocol) })
}

// Iptables returns "2379:2380" per range (ansible.builtin.iptables
// destination_port:, iptables --dport).
func Iptables(r Rule) []string {
	return each(r.Ports, colon)
}

// Nftables returns "2379-2380" per range: the elements of an anonymous set
// ("tcp dport { 2379-2380, 4200 }").
func Nftables(r Rule) []string {
	return each(r.Ports, spec.PortRange.String)
}

// UfwMaxPorts is how many ports one ufw rule may list; a range counts as
// two (ufw's multiport limit).
const UfwMaxPorts = 15

// Ufw returns comma-separated port lists ("2379:2380,4200") for ufw's port
// argument (community.general.ufw to_port:), split so that none exceeds
// ufw's limit of UfwMaxPorts ports per rule.
func Ufw(r Rule) []string {
	var out, cur []string
	weight := 0
	for _, p := range r.Ports {
		w := 1
		if !p.Single() {
			w = 2
		}
		if weight+w > UfwMaxPorts {
			out = append(out, strings.Join(cur, ","))
			cur, weight = nil, 0
		}
		cur = append(cur, colon(p))
		weight += w
	}
	if len(cur) > 0 {
		out = append(out, strings.Join(cur, ","))
	}
	return out
}

// ICMP forms. The document's ICMP rows are for connectivity monitoring
// (ping), so the forms allow echo requests; replies and errors belong to
// the connection and pass as established/related.
const (
	// ICMPType is the echo-request type name firewalld (rich rule
	// icmp-type name=…), iptables (icmp_type:) and ufw's before.rules
	// (--icmp-type) share, for IPv4 and IPv6 alike.
	ICMPType = "echo-request"
	// NftICMPv4 and NftICMPv6 are the nftables matches.
	NftICMPv4 = "icmp type echo-request"
	NftICMPv6 = "icmpv6 type echo-request"
	// IptablesProtoV4 and IptablesProtoV6 are ansible.builtin.iptables'
	// protocol: values for ICMP.
	IptablesProtoV4 = "icmp"
	IptablesProtoV6 = "ipv6-icmp"
)

// colon is a range as iptables and ufw write it: "2379:2380".
func colon(p spec.PortRange) string { return strings.Replace(p.String(), "-", ":", 1) }

func each(ps []spec.PortRange, f func(spec.PortRange) string) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, f(p))
	}
	return out
}
