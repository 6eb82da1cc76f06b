package cilium

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

func TestHostLabelFiltered(t *testing.T) {
	for key, want := range map[string]bool{
		"kubernetes.io/hostname":                 true,
		"kubernetes.io/os":                       true,
		"node.kubernetes.io/instance-type":       false, // kubernetes.io not at the start
		"node-role.kubernetes.io/control-plane":  false,
		"node-role.deckhouse.io/frontend":        false,
		"beta.kubernetes.io/arch":                true,
		"failure-domain.beta.kubernetes.io/zone": true,
		"topology.kubernetes.io/zone":            true,
		"k8s.io/x":                               true,
		"app.kubernetes.io/name":                 false, // included explicitly
		"io.kubernetes.pod.namespace":            false, // included, longer than the ignore
		"io.kubernetes.container.name":           true,
		"pod-template-hash":                      true,
		"role":                                   false,
	} {
		if got := hostLabelFiltered(key); got != want {
			t.Errorf("hostLabelFiltered(%q) = %v, want %v", key, got, want)
		}
	}
}

func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct{ opts, want string }{
		{`{"nodeSelectors": {"masters": {"kubernetes.io/hostname": "m1"}}}`, `nodeSelectors.masters: label "kubernetes.io/hostname" is dropped from host endpoints`},
		{`{"nodeSelectors": {"frontends": {"bad key!": ""}}}`, `nodeSelectors.frontends: label key "bad key!"`},
		{`{"peers": {"NodesToNodes": ["remote-node"]}}`, `unknown field "peers"`}, // replaced by portspec.yaml's clients
		{`{"podPeerKeywords": ["metrics"]}`, `unknown field "podPeerKeywords"`},   // a per-target guess: gone
		{`{"sshFromWorld": "everywhere"}`, `sshFromWorld: "everywhere" is not one of masters, all, none`},
		{`{"tunnelPorts": [0, 8472]}`, `tunnelPorts[0]: 0 is not a port`},
		{`{"nodeCIDRs": ["10.0.0.1/8"]}`, `nodeCIDRs[0]: "10.0.0.1/8" is not a network`},
		{`{"ranges": "merge"}`, `ranges: "merge" is not one of`},
		{`{"icmp": [{"family": "IPv5", "type": 8}]}`, `icmp[0]: want family IPv4 or IPv6`},
		{`{"nodePortRange": "32767-30000"}`, `nodePortRange: "32767-30000" is not a port or a port range`},
		{`{"namePrefix": "Port_Spec"}`, `namePrefix: "Port_Spec" must be lower-case`},
		{`{"nodeSelector": {}}`, `unknown field "nodeSelector"`},
		{`{"ciliumVersion": "v1.15.19", "ranges": "endPort"}`, `ranges: endPort needs Cilium 1.16 or later, and ciliumVersion is v1.15.19`},
		{`{"ciliumVersion": "2.0"}`, `ciliumVersion: "2.0" is not a Cilium 1.x version`},
		{`{"ciliumVersion": "v1.15.6", "nodeSelectorLabels": true}`, `nodeSelectorLabels: fromNodes is not in Cilium v1.15.6`},
	} {
		_, err := New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(tc.opts)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("options %s: error %v, want it to contain %q", tc.opts, err, tc.want)
		}
	}
}

// testDoc is a small document of our own making.
func testDoc() *spec.Document {
	pos := func(line int) token.Position { return token.Position{Filename: "test.md", Line: line, Column: 1} }
	rule := func(line int, p spec.Protocol, purpose string, ports ...spec.PortRange) spec.Rule {
		return spec.Rule{Protocol: p, Ports: ports, Pos: pos(line), Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose, Markdown: purpose}})}
	}
	pr := func(a, b uint16) spec.PortRange { return spec.PortRange{First: a, Last: b} }
	return &spec.Document{Source: "test.md", Kind: "markdown", SHA256: "00", Languages: []string{"en"}, Groups: []spec.Group{
		{ID: "MastersToMasters", Known: true, From: spec.RoleMaster, To: spec.RoleMaster, Direction: spec.Ingress, Pos: pos(1), Titles: map[string]string{"en": "Masters"},
			Rules: []spec.Rule{rule(2, spec.TCP, "etcd", pr(2379, 2380))}},
		{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode, Direction: spec.Ingress, Pos: pos(3), Titles: map[string]string{"en": "Nodes"},
			Rules: []spec.Rule{rule(4, spec.TCP, "DRBD", pr(7000, 7999)), rule(5, spec.ICMP, "ping"), rule(6, spec.TCP, "agent metrics", pr(4241, 4241))}},
		{ID: "ExternalToFrontends", Known: true, From: spec.RoleExternal, To: spec.RoleFrontend, Direction: spec.Ingress, Pos: pos(7), Titles: map[string]string{"en": "Frontends"},
			Rules: []spec.Rule{rule(8, spec.TCP, "NodePort", pr(30000, 32767)), rule(9, spec.TCP, "HTTP", pr(80, 80))}},
		{ID: "NodesToExternal", Known: true, From: spec.RoleNode, To: spec.RoleExternal, Direction: spec.Egress, Pos: pos(10), Titles: map[string]string{"en": "Out"},
			Rules: []spec.Rule{rule(11, spec.UDP, "DNS", pr(53, 53))}},
		{ID: "SomethingElse", Known: false, Pos: pos(12), Titles: map[string]string{"en": "Other"},
			Rules: []spec.Rule{rule(13, spec.TCP, "x", pr(1, 1))}},
	}}
}

func policies(t *testing.T, out *gen.Output) map[string]ccnp.Policy {
	t.Helper()
	m := map[string]ccnp.Policy{}
	for _, f := range out.Files {
		ps, err := ccnp.Parse(f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			m[p.Metadata.Name] = p
		}
	}
	return m
}

func TestRanges(t *testing.T) {
	_, err := New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(`{"ranges": "refuse"}`)})
	var list spec.ErrorList
	// etcd's 2379-2380, DRBD's 7000-7999 and the NodePort range.
	if !errors.As(err, &list) || len(list) != 3 ||
		!strings.HasPrefix(list[1].Error(), "test.md:4:1: NodesToNodes: rule \"DRBD\" has the range 7000-7999") {
		t.Errorf("ranges: refuse: got %v", err)
	}
	// Cilium 1.15 has no endPort: ranges are expanded by default.
	out, err := New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(`{"ciliumVersion": "v1.15.19"}`)})
	if err != nil {
		t.Fatal(err)
	}
	nodes := policies(t, out)["portspec-nodes"]
	n, lists := 0, 0
	for _, r := range nodes.Spec.Ingress {
		for _, tp := range r.ToPorts {
			lists++
			if len(tp.Ports) > ccnp.MaxPorts {
				t.Errorf("a ports list has %d entries", len(tp.Ports))
			}
			for _, p := range tp.Ports {
				if p.EndPort != 0 {
					t.Errorf("expand left a range: %+v", p)
				}
				if p.Port >= "7000" && p.Port <= "7999" && len(p.Port) == 4 {
					n++
				}
			}
		}
	}
	if n != 1000 || lists < 25 {
		t.Errorf("expand wrote %d of the 1000 DRBD ports in %d lists", n, lists)
	}
}

func TestShape(t *testing.T) {
	out, err := New().Generate(gen.Request{Doc: testDoc()})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range out.Files {
		files = append(files, f.Path)
		if !gen.IsGenerated(f.Data) {
			t.Errorf("%s has no generated-code header", f.Path)
		}
	}
	// Egress is off by default: no egress file.
	if diff := cmp.Diff([]string{"baseline.yaml", "masters.yaml", "nodes.yaml", "frontends.yaml"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	pols := policies(t, out)
	for name, p := range pols {
		for i, r := range append(append([]ccnp.IngressRule{}, p.Spec.Ingress...), egressAsIngress(p.Spec.Egress)...) {
			if len(r.ToPorts) > 0 && len(r.ICMPs) > 0 {
				t.Errorf("%s rule %d mixes toPorts and icmps", name, i)
			}
			kinds := 0
			for _, n := range []int{len(r.FromEntities), len(r.FromNodes), len(r.FromEndpoints), len(r.FromCIDRSet)} {
				if n > 0 {
					kinds++
				}
			}
			if kinds != 1 {
				t.Errorf("%s rule %d has %d peer kinds, want 1", name, i, kinds)
			}
			if len(r.FromNodes) > 0 {
				t.Errorf("%s rule %d uses fromNodes without nodeSelectorLabels", name, i)
			}
			for _, tp := range r.ToPorts {
				for _, pp := range tp.Ports {
					if pp.Protocol != "TCP" && pp.Protocol != "UDP" {
						t.Errorf("%s: protocol %q", name, pp.Protocol)
					}
					if pp.Port == "7000" && pp.EndPort != 7999 {
						t.Errorf("%s: range written as %+v", name, pp)
					}
				}
			}
		}
		if len(p.Spec.Egress) > 0 {
			t.Errorf("%s has egress rules with egress off", name)
		}
	}
	if got := pols["portspec-frontends"].Spec.NodeSelector.MatchLabels; !cmp.Equal(got, DefaultSelector(Frontends)) {
		t.Errorf("frontends selector %v", got)
	}
	if got := pols["portspec-nodes"].Spec.NodeSelector; got == nil || len(got.MatchLabels) != 0 {
		t.Errorf("nodes selector %v, want {}", got)
	}
	for _, name := range []string{"portspec-baseline-masters", "portspec-baseline-nodes"} {
		if _, ok := pols[name]; !ok {
			t.Errorf("no policy %s", name)
		}
	}
	// The NodePort row is enforced (from world: the health-check node
	// ports are filtered by the host firewall), with a note saying what it
	// governs; the unknown group and the egress group are warnings.
	var front string
	for _, f := range out.Files {
		if f.Path == "frontends.yaml" {
			front = string(f.Data)
		}
	}
	if !strings.Contains(front, `port: "30000"`) || !strings.Contains(front, "health-check node ports") {
		t.Errorf("NodePort row not enforced with its note:\n%s", front)
	}
	warn := strings.Join(out.Warnings, "\n")
	for _, w := range []string{`test.md:12:1: group "SomethingElse"`, `test.md:10:1: group "NodesToExternal"`} {
		if !strings.Contains(warn, w) {
			t.Errorf("warnings lack %q:\n%s", w, warn)
		}
	}
	// Egress on: the egress file with the infrastructure baseline.
	out, err = New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(`{"egress": true}`)})
	if err != nil {
		t.Fatal(err)
	}
	eg := policies(t, out)["portspec-nodes-egress"]
	var text strings.Builder
	for _, r := range eg.Spec.Egress {
		fmt.Fprintf(&text, "%v %v %v\n", r.ToEntities, r.ToCIDRSet, r.ToPorts)
	}
	for _, want := range []string{"[cluster] [] []", "[{169.254.169.254/32}] [{[{80 0 TCP}]}]", `{67 0 UDP}`, `{53 0 UDP}`, `{53 0 TCP}`, `{123 0 UDP}`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("egress policy lacks %s:\n%s", want, text.String())
		}
	}
}

func egressAsIngress(es []ccnp.EgressRule) []ccnp.IngressRule {
	var out []ccnp.IngressRule
	for _, e := range es {
		out = append(out, ccnp.IngressRule{FromEntities: e.ToEntities, FromNodes: e.ToNodes, FromCIDRSet: e.ToCIDRSet, ToPorts: e.ToPorts, ICMPs: e.ICMPs})
	}
	return out
}

// TestPeers: the peers of rows, written by hand from the facts
// (docs/enforcement-facts.md 1, 2 and 9), not from the mapping code.
func TestPeers(t *testing.T) {
	doc := testDoc()
	for _, tc := range []struct {
		group string
		rule  int
		opts  string
		want  []string
	}{
		// etcd between masters: the masters' identity and the node itself.
		{"MastersToMasters", 0, `{}`, []string{"entities host, kube-apiserver"}},
		{"MastersToMasters", 0, `{"nodeSelectorLabels": true}`, []string{"entities host", "nodes node-role.kubernetes.io/control-plane="}},
		// DRBD between nodes: host processes of every node.
		{"NodesToNodes", 0, `{}`, []string{"entities host, remote-node"}},
		// A metrics row: the nodes, as the page says, and Prometheus's pods.
		{"NodesToNodes", 2, `{}`, []string{"entities host, remote-node", "pods k8s:app.kubernetes.io/name=prometheus,k8s:io.kubernetes.pod.namespace=d8-monitoring,k8s:prometheus=main"}},
		// HTTP on frontends: the world, every pod, every node's host.
		{"ExternalToFrontends", 1, `{}`, []string{"entities host, remote-node, world", "pods k8s:io.kubernetes.pod.namespace Exists"}},
	} {
		var o Options
		if err := json.Unmarshal([]byte(tc.opts), &o); err != nil {
			t.Fatal(err)
		}
		c, err := o.resolve()
		if err != nil {
			t.Fatal(err)
		}
		g := doc.Group(tc.group)
		peers, _ := c.peersOf(clients.New(nil).For(g, &g.Rules[tc.rule]))
		var got []string
		for _, p := range peers {
			got = append(got, p.String())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s rule %d %s (-want +got):\n%s", tc.group, tc.rule, tc.opts, diff)
		}
	}
}

// TestSplitTunnel: each port of a tunnel row is the cluster's tunnel port
// or not, whatever the order and overlaps of the tunnel ranges.
func TestSplitTunnel(t *testing.T) {
	r := func(a, b uint16) spec.PortRange { return spec.PortRange{First: a, Last: b} }
	tunnel := []spec.PortRange{r(8472, 8472), r(4295, 4299), r(4296, 4296), r(1, 10), r(5, 6)}
	other, kept := splitTunnel([]spec.PortRange{r(4294, 4300), r(8472, 8473), r(10, 11), r(65535, 65535)}, tunnel)
	if got, want := spec.FormatPorts(kept), "4295, 4296, 4297, 4298, 4299, 8472, 10"; got != want {
		t.Errorf("kept %s, want %s", got, want)
	}
	if got, want := spec.FormatPorts(other), "4294, 4300, 8473, 11, 65535"; got != want {
		t.Errorf("other %s, want %s", got, want)
	}
	if other, kept := splitTunnel([]spec.PortRange{r(1, 3)}, nil); len(kept) != 0 || len(other) != 3 {
		t.Errorf("no tunnel ports: other %v, kept %v", other, kept)
	}
}
