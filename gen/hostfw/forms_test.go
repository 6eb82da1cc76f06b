package hostfw

import (
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

func ranges(pairs ...uint16) []spec.PortRange {
	var out []spec.PortRange
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, spec.PortRange{First: pairs[i], Last: pairs[i+1]})
	}
	return out
}

func TestForms(t *testing.T) {
	r := Rule{Protocol: spec.TCP, Ports: ranges(2379, 2380, 4200, 4200)}
	got := map[string][]string{"firewalld": Firewalld(r), "iptables": Iptables(r), "nftables": Nftables(r), "ufw": Ufw(r)}
	want := map[string][]string{
		"firewalld": {"2379-2380/tcp", "4200/tcp"},
		"iptables":  {"2379:2380", "4200"},
		"nftables":  {"2379-2380", "4200"},
		"ufw":       {"2379:2380,4200"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("forms (-want +got):\n%s", d)
	}
}

// ufwWeight counts ports the way ufw does: a range is two.
func ufwWeight(list string) int {
	n := 0
	for _, p := range strings.Split(list, ",") {
		if strings.Contains(p, ":") {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func TestUfwSplitsAtFifteenPorts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ports []spec.PortRange
	}{
		{"16 singles", ranges(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16)},
		{"8 ranges", ranges(10, 11, 20, 21, 30, 31, 40, 41, 50, 51, 60, 61, 70, 71, 80, 81)},
		{"singles then a range at the edge", ranges(1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 100, 200)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lists := Ufw(Rule{Protocol: spec.TCP, Ports: tc.ports})
			if len(lists) < 2 {
				t.Fatalf("not split: %q", lists)
			}
			var all []string
			for _, l := range lists {
				if w := ufwWeight(l); w > UfwMaxPorts {
					t.Errorf("%q counts %d ports, ufw allows %d", l, w, UfwMaxPorts)
				}
				all = append(all, strings.Split(l, ",")...)
			}
			// Nothing lost, nothing repeated, order kept.
			if d := cmp.Diff(Iptables(Rule{Ports: tc.ports}), all); d != "" {
				t.Errorf("ports across the split lists (-want +got):\n%s", d)
			}
		})
	}
}

// TestPurposeOnOneLine: a rule's purpose is folded onto one line (gen.OneLine).
func TestPurposeOnOneLine(t *testing.T) {
	for in, want := range map[string]string{
		"a\nb\r\n\tc":        "a b c",
		"  x\u2028y\u2029 ":  "x y",
		"nul\x00esc\x1b[1m":  "nul esc [1m",
		"{{ x }}  {% raw %}": "{{ x }} {% raw %}",
	} {
		doc := &spec.Document{Groups: []spec.Group{{ID: "MastersToMasters", Known: true, From: spec.RoleMaster, To: spec.RoleMaster, Direction: spec.Ingress,
			Rules: []spec.Rule{{Protocol: spec.TCP, Ports: ranges(1, 1), Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: in}})}}}}}
		if got := Build(doc).Rules[spec.RoleMaster][0].Purpose; got != want {
			t.Errorf("purpose %q reads %q, want %q", in, got, want)
		}
	}
}

func TestMergeOverlaps(t *testing.T) {
	got := mergeOverlaps(ranges(7946, 7946, 7000, 7999, 2380, 2380, 2379, 2379, 2379, 2379))
	want := ranges(2379, 2379, 2380, 2380, 7000, 7999)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestResolveDefaultsAndErrors(t *testing.T) {
	s, err := Options{PrivateRanges: true}.Resolve("x", Required)
	if err != nil {
		t.Fatal(err)
	}
	if s.InputPolicy != Drop || s.OutputPolicy != Accept || s.Table != DefaultTable || s.Audit || s.Log {
		t.Errorf("defaults: %+v", s)
	}
	if len(s.CIDRs[SetExternal].IPv4) != 1 || s.CIDRs[SetExternal].IPv4[0] != "0.0.0.0/0" {
		t.Errorf("external default: %+v", s.CIDRs[SetExternal])
	}
	if d := cmp.Diff(Addrs{IPv4: []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}, IPv6: []string{"fc00::/7"}}, s.CIDRs[SetMaster]); d != "" {
		t.Errorf("privateRanges: master set (-want +got):\n%s", d)
	}
	if d := cmp.Diff(Addrs{IPv4: []string{DefaultPodCIDR}, IPv6: []string{}}, s.CIDRs[SetPod]); d != "" {
		t.Errorf("pod default (-want +got):\n%s", d)
	}
	if !s.Trusted.Empty() {
		t.Errorf("trusted must default to nothing (no pod or service subnet), got %+v", s.Trusted)
	}

	s, err = Options{CIDRs: map[string][]string{
		"master": {"10.0.0.1", "2001:db8::/64"}, "node": {"10.0.0.2/32"}, "frontend": {"10.0.0.3"},
	}, Trusted: []string{}, PodCIDRs: []string{}}.Resolve("x", Required)
	if err != nil {
		t.Fatal(err)
	}
	want := Addrs{IPv4: []string{"10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"}, IPv6: []string{"2001:db8::/64"}}
	if d := cmp.Diff(want, s.CIDRs[SetNode]); d != "" {
		t.Errorf("node set is the union of the cluster roles (-want +got):\n%s", d)
	}
	if len(s.Trusted.IPv4)+len(s.Trusted.IPv6) != 0 {
		t.Errorf("an empty trusted list must stay empty, got %+v", s.Trusted)
	}
	if !s.CIDRs[SetPod].Empty() {
		t.Errorf("podCIDRs: [] must be no pod subnet, got %+v", s.CIDRs[SetPod])
	}

	_, err = Options{
		CIDRs:       map[string][]string{"masters": {"10.0.0.0/8"}, "node": {"10.1.2.3/8", "nonsense"}},
		InputPolicy: "reject", Table: "bad name", Mode: "learn", PodCIDRs: []string{"10.111.0.0/8"},
	}.Resolve(testTarget, Required)
	if err == nil {
		t.Fatal("bad options accepted")
	}
	for _, frag := range []string{
		`targets.fw.cidrs: unknown role "masters"`,
		`targets.fw.cidrs.node: "10.1.2.3/8" has host bits set: write 10.0.0.0/8`,
		`"nonsense" is not an address`,
		`targets.fw.input_policy: "reject" is not a policy`,
		`targets.fw.table: "bad name"`,
		`targets.fw.mode: "learn" is not a mode: use enforce or audit`,
		`targets.fw.podCIDRs: "10.111.0.0/8" has host bits set`,
		`targets.fw.cidrs.master: missing: name the addresses of the master hosts`,
		`targets.fw.cidrs.frontend: missing`,
		`or set targets.fw.privateRanges: true`,
	} {
		if !strings.Contains(err.Error(), frag) {
			t.Errorf("error lacks %q:\n%s", frag, err)
		}
	}
}

// TestRoleCIDRsRequired: without cidrs for master, node and frontend the
// nftables target's settings are an error naming each option; the Ansible
// target leaves all three to the inventory, but not one of them.
func TestRoleCIDRsRequired(t *testing.T) {
	_, err := Options{}.Resolve(testTarget, Required)
	for _, role := range []string{"master", "node", "frontend"} {
		if err == nil || !strings.Contains(err.Error(), "targets."+testTarget+".cidrs."+role+": missing") {
			t.Errorf("no cidrs: error does not name targets.fw.cidrs.%s: %v", role, err)
		}
	}
	s, err := Options{}.Resolve(testTarget, Inventory)
	if err != nil {
		t.Fatal(err)
	}
	if s.RoleCIDRs {
		t.Error("Inventory fallback: RoleCIDRs set")
	}
	for _, set := range []Set{SetMaster, SetNode, SetFrontend} {
		if _, ok := s.CIDRs[set]; ok {
			t.Errorf("Inventory fallback: set %s present: %+v", set, s.CIDRs[set])
		}
	}
	if _, ok := s.CIDRs[SetExternal]; !ok {
		t.Error("Inventory fallback: no external set")
	}
	_, err = Options{CIDRs: map[string][]string{"master": {"10.0.0.1"}}}.Resolve(testTarget, Inventory)
	if err == nil || !strings.Contains(err.Error(), "targets.fw.cidrs.node: missing") {
		t.Errorf("some roles named, others not: %v", err)
	}
}

// TestChainEnds: a drop policy logs when asked; audit turns it into
// accept and logs; an accept policy has nothing to log.
func TestChainEnds(t *testing.T) {
	for _, c := range []struct {
		set          Settings
		in           string
		policy, last string
	}{
		{Settings{}, Drop, Drop, ""},
		{Settings{Log: true}, Drop, Drop, `counter limit rate 5/minute log prefix "portspec drop: "`},
		{Settings{Audit: true}, Drop, Accept, `counter limit rate 5/minute log prefix "portspec audit: "`},
		{Settings{Audit: true, Log: true}, Accept, Accept, ""},
	} {
		if p, l := c.set.Chain(c.in); p != c.policy || l != c.last {
			t.Errorf("%+v %s: got %s %q, want %s %q", c.set, c.in, p, l, c.policy, c.last)
		}
	}
}

// TestSourcesFromClients: a rule's sources are its row's clients in the
// terms of a host firewall: role sets, the pod set only where pods are
// clients, the external set for the world, the node set for joining nodes.
// The facts are written out by hand (gen/clients names their sources).
func TestSourcesFromClients(t *testing.T) {
	p := Build(gentest.Default(t))
	got := map[string][]Set{}
	for _, rules := range p.Rules {
		for _, r := range rules {
			got[r.Name] = r.Sources
		}
	}
	for name, want := range map[string][]Set{
		"MastersToMasters/tcp/2379":     {SetMaster},
		"MastersToMasters/tcp/4223":     {SetMaster},
		"MastersToNodes/tcp/22":         {SetMaster, SetPod},
		"MastersToNodes/tcp/10250":      {SetMaster, SetPod},
		"MastersToNodes/tcp/4227":       {SetMaster},
		"NodesToMasters/tcp/6443":       {SetNode, SetPod},
		"NodesToMasters/tcp/4222":       {SetNode, SetPod},
		"NodesToMasters/tcp/4219":       {SetNode, SetPod}, // bashible on joining nodes (node set), Prometheus
		"NodesToMasters/udp/4234":       {SetNode},
		"NodesToNodes/icmp":             {SetNode},
		"NodesToNodes/tcp/4206":         {SetNode, SetPod},
		"NodesToNodes/tcp/4244":         {SetNode, SetPod},
		"NodesToNodes/tcp/7000":         {SetNode},
		"NodesToNodes/udp/8469":         {SetNode},
		"ExternalToMaster/tcp/22":       {SetExternal},
		"ExternalToFrontends/tcp/80":    {SetNode, SetPod, SetExternal},
		"ExternalToFrontends/tcp/30000": {SetExternal},
		"NodesToExternal/udp/53":        nil,
	} {
		if d := cmp.Diff(want, got[name]); d != "" {
			t.Errorf("%s sources (-want +got):\n%s", name, d)
		}
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings: %q", p.Warnings)
	}
}

// TestNodePortNotes: the NodePort row, and only it, says what governs it.
func TestNodePortNotes(t *testing.T) {
	for _, rules := range Build(gentest.Default(t)).Rules {
		for _, r := range rules {
			if has := len(r.Notes) > 0; has != (r.Name == "ExternalToFrontends/tcp/30000") {
				t.Errorf("%s: notes %q", r.Name, r.Notes)
			}
			if len(r.Notes) > 0 {
				text := strings.Join(r.Notes, " ")
				for _, frag := range []string{"FORWARD", "PREROUTING", "IPVS", "eBPF before netfilter", "health-check node port", "host-network"} {
					if !strings.Contains(text, frag) {
						t.Errorf("NodePort notes lack %q: %s", frag, text)
					}
				}
			}
		}
	}
}

func TestBuildKeysByDestinationAndWarnsUnknownGroups(t *testing.T) {
	pos := func(l int) token.Position { return token.Position{Filename: "d.md", Line: l, Column: 1} }
	doc := &spec.Document{Languages: []string{"en"}, Groups: []spec.Group{
		{ID: "NodesToExternal", Known: true, From: spec.RoleNode, To: spec.RoleExternal, Direction: spec.Egress, Pos: pos(1),
			Rules: []spec.Rule{{Protocol: spec.UDP, Ports: ranges(53, 53), Pos: pos(2)}}},
		{ID: "Mystery", Titles: map[string]string{"en": "Mystery\ntraffic"}, Pos: pos(3),
			Rules: []spec.Rule{{Protocol: spec.TCP, Ports: ranges(1, 1), Pos: pos(4)}}},
		{ID: "MastersToMasters", Known: true, From: spec.RoleMaster, To: spec.RoleMaster, Direction: spec.Ingress, Pos: pos(5),
			Rules: []spec.Rule{{Protocol: spec.TCP, Ports: ranges(4200, 4200), Pos: pos(6)}, {Protocol: spec.TCP, Ports: ranges(2380, 2380, 2379, 2379), Pos: pos(7)}}},
	}}
	p := Build(doc)
	var names []string
	for _, r := range p.Rules[spec.RoleMaster] {
		names = append(names, r.Name)
	}
	if d := cmp.Diff([]string{"MastersToMasters/tcp/2379", "MastersToMasters/tcp/4200"}, names); d != "" {
		t.Errorf("master rules (-want +got):\n%s", d)
	}
	if got := p.Egress(spec.RoleMaster); len(got) != 1 || got[0].Name != "NodesToExternal/udp/53" {
		t.Errorf("a master is a node and lets NodesToExternal out: %+v", got)
	}
	if len(p.Warnings) != 1 || !strings.HasPrefix(p.Warnings[0], "d.md:3:1: group \"Mystery\" (Mystery traffic) has no known roles: its 1 rules") {
		t.Errorf("warnings: %q", p.Warnings)
	}
	if got := strconv.Itoa(len(p.Ingress(spec.RoleNode))); got != "0" {
		t.Errorf("a node accepts no master-only rules, got %s", got)
	}
}

// testTarget labels the options in errors: hostfw is shared by the
// nftables and ansible targets and cannot import them (they import it), so
// its tests name a target of their own.
const testTarget = "fw"
