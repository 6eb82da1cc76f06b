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
	inPolicy, inLast := set.Chain(set.InputPolicy)
	outPolicy, outLast := set.Chain(set.OutputPolicy)
	w("%s", gen.Header("#", doc))
	w("#")
	w("# nftables ruleset for %s hosts. Load it with `nft -f %s`; check it with `nft -c -f %s`.", hostfw.RoleName(role), FileName(role), FileName(role))
	w("# On boot: install it as %s and enable %s (docs/host-firewalls.md).", RulesetPath, UnitName)
	w("# It owns table inet %s only and replaces it atomically; other tables (kube-proxy, CNI) are left alone.", set.Table)
	w("# input: policy %s after established/related, loopback, IPv6 neighbour discovery and the trusted admin networks;", inPolicy)
	w("# each rule accepts the address sets of its row's real clients (host roles, the pod subnets, the world).")
	w("# output: policy %s; NodesToExternal rules are accepted and counted.", outPolicy)
	if set.Audit {
		w("# mode audit: nothing is dropped; what a drop policy would drop is counted and logged (%q).", hostfw.AuditLogPrefix)
	} else if set.Log {
		w("# log: what the drop policies drop is counted and logged, at most %s (%q).", hostfw.LogRate, hostfw.DropLogPrefix)
	}
	w("table inet %s", set.Table)
	w("delete table inet %s", set.Table)
	w("")
	w("table inet %s {", set.Table)
	for _, s := range hostfw.SetNames() {
		writeSets(&b, string(s), set.CIDRs[s])
	}
	writeSets(&b, "trusted", set.Trusted)

	// Input: what arrives is checked against its source; output: what
	// leaves against its destination. Both first let through the traffic
	// no firewall of this kind may break.
	writeChain(&b, chain{
		hook: "input", policy: inPolicy, last: inLast, dir: "saddr", iface: "iif",
		basics: []string{"ct state established,related accept", "ct state invalid drop"},
		rules:  plan.Ingress(role), peers: func(r hostfw.Rule) []hostfw.Set { return r.Sources },
	})
	w("")
	writeChain(&b, chain{
		hook: "output", policy: outPolicy, last: outLast, dir: "daddr", iface: "oif",
		basics: []string{"ct state established,related accept"},
		tail: []string{
			"# The cluster's own nodes: their input chains decide.",
			"ip daddr @node_v4 accept",
			"ip6 daddr @node_v6 accept",
		},
		rules: plan.Egress(role), peers: func(r hostfw.Rule) []hostfw.Set { return []hostfw.Set{hostfw.Set(hostfw.RoleName(r.To))} },
	})
	w("}")
	return b.Bytes()
}

// chain is one base chain of the table.
type chain struct {
	hook, policy string
	last         string // the rule before the policy ("" for none)
	dir          string // saddr or daddr: which end the peer is
	iface        string // iif or oif
	basics       []string
	tail         []string // after the trusted addresses, before the rules
	rules        []hostfw.Rule
	peers        func(hostfw.Rule) []hostfw.Set
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
		writeRule(b, r, c.dir, c.peers(r))
	}
	if c.last != "" {
		fmt.Fprintf(b, "\t\t%s\n", c.last)
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

// writeRule writes one document rule as an IPv4 and an IPv6 nftables rule
// per peer set (the sources of ingress, the destination of egress), after
// its comment lines: the purpose, the row's clients, any notes.
func writeRule(b *bytes.Buffer, r hostfw.Rule, dir string, peers []hostfw.Set) {
	fmt.Fprintf(b, "\t\t# %s: %s\n", r.Group, r.Purpose) // both folded to one line by the plan
	if r.Site != "" {
		fmt.Fprintf(b, "\t\t# %s\n", gen.OneLine(r.Site))
	}
	if r.Direction == spec.Ingress {
		fmt.Fprintf(b, "\t\t# clients: %s\n", strings.Join(r.Clients, "; "))
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "\t\t# %s\n", n)
	}
	match := fmt.Sprintf("%s dport { %s }", hostfw.Proto(r.Protocol), strings.Join(hostfw.Nftables(r), ", "))
	match6 := match
	if r.Protocol == spec.ICMP {
		match, match6 = hostfw.NftICMPv4, hostfw.NftICMPv6
	}
	for _, p := range peers {
		fmt.Fprintf(b, "\t\tip %s @%s_v4 %s counter accept\n", dir, p, match)
		fmt.Fprintf(b, "\t\tip6 %s @%s_v6 %s counter accept\n", dir, p, match6)
	}
}
