package nftables

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// ndTypes are the ICMPv6 messages without which IPv6 stops working on the
// link (they are not part of any connection, so established/related does
// not cover them).
const ndTypes = "{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert }"

// Ruleset writes the nftables ruleset of hosts of one role. Document text
// only ever appears after "#" on a line of its own (hostfw.Rule.Purpose is
// one line), so it cannot change the ruleset's structure.
func Ruleset(doc *spec.Document, plan *hostfw.Plan, set *hostfw.Settings, role spec.Role) []byte {
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	w("%s", gen.Header("#", doc))
	w("#")
	w("# nftables ruleset for %s hosts. Load it with `nft -f %s`; check it with `nft -c -f %s`.", hostfw.RoleName(role), FileName(role), FileName(role))
	w("# It owns table inet %s only and replaces it atomically; other tables (kube-proxy, CNI) are left alone.", set.Table)
	w("# input: policy %s after established/related, loopback, IPv6 neighbour discovery and trusted sources.", set.InputPolicy)
	w("# output: policy %s; NodesToExternal rules are accepted and counted.", set.OutputPolicy)
	w("table inet %s", set.Table)
	w("delete table inet %s", set.Table)
	w("")
	w("table inet %s {", set.Table)
	for _, r := range hostfw.SetRoles() {
		writeSets(&b, hostfw.RoleName(r), set.CIDRs[r])
	}
	writeSets(&b, "trusted", set.Trusted)

	// Input: what arrives is checked against its source; output: what
	// leaves against its destination. Both first let through the traffic
	// no firewall of this kind may break.
	writeChain(&b, chain{
		hook: "input", policy: set.InputPolicy, dir: "saddr", iface: "iif",
		basics: []string{"ct state established,related accept", "ct state invalid drop"},
		rules:  plan.Ingress(role), peer: func(r hostfw.Rule) spec.Role { return r.From },
	})
	w("")
	writeChain(&b, chain{
		hook: "output", policy: set.OutputPolicy, dir: "daddr", iface: "oif",
		basics: []string{"ct state established,related accept"},
		tail: []string{
			"# The cluster's own nodes: their input chains decide.",
			"ip daddr @node_v4 accept",
			"ip6 daddr @node_v6 accept",
		},
		rules: plan.Egress(role), peer: func(r hostfw.Rule) spec.Role { return r.To },
	})
	w("}")
	return b.Bytes()
}

// chain is one base chain of the table.
type chain struct {
	hook, policy string
	dir          string // saddr or daddr: which end the peer is
	iface        string // iif or oif
	basics       []string
	tail         []string // after the trusted addresses, before the rules
	rules        []hostfw.Rule
	peer         func(hostfw.Rule) spec.Role
}

func writeChain(b *bytes.Buffer, c chain) {
	fmt.Fprintf(b, "\tchain %s {\n\t\ttype filter hook %s priority filter; policy %s;\n", c.hook, c.hook, c.policy)
	lines := append(slices.Clone(c.basics),
		c.iface+` "lo" accept`,
		"icmpv6 type "+ndTypes+" accept",
		"ip "+c.dir+" @trusted_v4 accept",
		"ip6 "+c.dir+" @trusted_v6 accept")
	for _, l := range append(lines, c.tail...) {
		fmt.Fprintf(b, "\t\t%s\n", l)
	}
	for _, r := range c.rules {
		writeRule(b, r, c.dir, c.peer(r))
	}
	fmt.Fprintf(b, "\t}\n")
}

func writeSets(b *bytes.Buffer, name string, a hostfw.Addrs) {
	for _, fam := range []struct {
		suffix, typ string
		elems       []string
	}{{"v4", "ipv4_addr", a.IPv4}, {"v6", "ipv6_addr", a.IPv6}} {
		fmt.Fprintf(b, "\tset %s_%s {\n\t\ttype %s\n\t\tflags interval\n\t\tauto-merge\n", name, fam.suffix, fam.typ)
		if len(fam.elems) > 0 {
			fmt.Fprintf(b, "\t\telements = { %s }\n", strings.Join(fam.elems, ", "))
		}
		fmt.Fprintf(b, "\t}\n\n")
	}
}

// writeRule writes one document rule as an IPv4 and an IPv6 nftables rule;
// peer is the other end (the source of ingress, the destination of egress).
func writeRule(b *bytes.Buffer, r hostfw.Rule, dir string, peer spec.Role) {
	fmt.Fprintf(b, "\t\t# %s: %s\n", r.Group, r.Purpose)
	p := hostfw.RoleName(peer)
	if r.Protocol == spec.ICMP {
		fmt.Fprintf(b, "\t\tip %s @%s_v4 %s counter accept\n", dir, p, hostfw.NftICMPv4)
		fmt.Fprintf(b, "\t\tip6 %s @%s_v6 %s counter accept\n", dir, p, hostfw.NftICMPv6)
		return
	}
	match := fmt.Sprintf("%s dport { %s }", hostfw.Proto(r.Protocol), strings.Join(hostfw.Nftables(r), ", "))
	fmt.Fprintf(b, "\t\tip %s @%s_v4 %s counter accept\n", dir, p, match)
	fmt.Fprintf(b, "\t\tip6 %s @%s_v6 %s counter accept\n", dir, p, match)
}
