package nftables

import (
	"bytes"
	"fmt"
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
	for _, r := range hostfw.SetRoles {
		writeSets(&b, hostfw.RoleName(r), set.CIDRs[r])
	}
	writeSets(&b, "trusted", set.Trusted)

	w("\tchain input {")
	w("\t\ttype filter hook input priority filter; policy %s;", set.InputPolicy)
	w("\t\tct state established,related accept")
	w("\t\tct state invalid drop")
	w("\t\tiif \"lo\" accept")
	w("\t\ticmpv6 type %s accept", ndTypes)
	w("\t\tip saddr @trusted_v4 accept")
	w("\t\tip6 saddr @trusted_v6 accept")
	for _, r := range plan.Ingress(role) {
		writeRule(&b, r, "saddr", r.From)
	}
	w("\t}")
	w("")
	w("\tchain output {")
	w("\t\ttype filter hook output priority filter; policy %s;", set.OutputPolicy)
	w("\t\tct state established,related accept")
	w("\t\toif \"lo\" accept")
	w("\t\ticmpv6 type %s accept", ndTypes)
	w("\t\tip daddr @trusted_v4 accept")
	w("\t\tip6 daddr @trusted_v6 accept")
	w("\t\t# The cluster's own nodes: their input chains decide.")
	w("\t\tip daddr @node_v4 accept")
	w("\t\tip6 daddr @node_v6 accept")
	for _, r := range plan.Egress(role) {
		writeRule(&b, r, "daddr", r.To)
	}
	w("\t}")
	w("}")
	return b.Bytes()
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
