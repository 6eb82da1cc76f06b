package cilium

import (
	"encoding/json"
	"errors"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium/ccnp"
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
		{`{"peers": {"NodesToNodes": ["nodes:masters"]}}`, `needs Cilium's enable-node-selector-labels`},
		{`{"peers": {"NodesToNodes": ["remote-nodes"]}}`, `peer "remote-nodes" is not a Cilium entity`},
		{`{"peers": {"NodesToNodes": []}}`, `peers.NodesToNodes: empty list`},
		{`{"ranges": "merge"}`, `ranges: "merge" is not one of`},
		{`{"icmp": [{"family": "IPv5", "type": 8}]}`, `icmp[0]: want family IPv4 or IPv6`},
		{`{"nodePortRange": "32767-30000"}`, `nodePortRange: "32767-30000" is not a port range`},
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
		return spec.Rule{Protocol: p, Ports: ports, Pos: pos(line), Purposes: map[string]spec.Purpose{"en": {Text: purpose, Markdown: purpose}}}
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
	if !errors.As(err, &list) || len(list) != 2 ||
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
	if diff := cmp.Diff([]string{"masters.yaml", "nodes.yaml", "frontends.yaml", "nodes-egress.yaml"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	pols := policies(t, out)
	for name, p := range pols {
		for i, r := range append(append([]ccnp.IngressRule{}, p.Spec.Ingress...), egressAsIngress(p.Spec.Egress)...) {
			if len(r.ToPorts) > 0 && len(r.ICMPs) > 0 {
				t.Errorf("%s rule %d mixes toPorts and icmps", name, i)
			}
			if len(r.FromEntities) > 0 && len(r.FromNodes) > 0 {
				t.Errorf("%s rule %d mixes peer kinds", name, i)
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
	}
	if got := pols["portspec-frontends"].Spec.NodeSelector.MatchLabels; !cmp.Equal(got, DefaultFrontendsSelector) {
		t.Errorf("frontends selector %v", got)
	}
	if got := pols["portspec-nodes"].Spec.NodeSelector; got == nil || len(got.MatchLabels) != 0 {
		t.Errorf("nodes selector %v, want {}", got)
	}
	// The NodePort row is a comment and a warning, never a rule; the
	// unknown group is a warning.
	var front string
	for _, f := range out.Files {
		if f.Path == "frontends.yaml" {
			front = string(f.Data)
		}
	}
	if !strings.Contains(front, "\n# NOT ENFORCED ExternalToFrontends TCP/30000-32767") || strings.Contains(front, `port: "30000"`) {
		t.Errorf("NodePort row not turned into a comment:\n%s", front)
	}
	warn := strings.Join(out.Warnings, "\n")
	for _, w := range []string{"test.md:8:1: ExternalToFrontends TCP/30000-32767", "test.md:12:1: group \"SomethingElse\""} {
		if !strings.Contains(warn, w) {
			t.Errorf("warnings lack %q:\n%s", w, warn)
		}
	}
	// Egress off: no egress file, a warning for the group.
	out, err = New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(`{"egress": false}`)})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Files {
		if f.Path == "nodes-egress.yaml" {
			t.Errorf("egress: false still wrote %s", f.Path)
		}
	}
	if !strings.Contains(strings.Join(out.Warnings, "\n"), `test.md:10:1: group "NodesToExternal"`) {
		t.Errorf("egress: false without a warning: %v", out.Warnings)
	}
	// Without kube-proxy replacement the NodePort range is enforced.
	out, err = New().Generate(gen.Request{Doc: testDoc(), Options: json.RawMessage(`{"kubeProxyReplacement": false}`)})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.Join(out.Warnings, "\n"), "NodePort") {
		t.Errorf("NodePort warning without kube-proxy replacement: %v", out.Warnings)
	}
}

func egressAsIngress(es []ccnp.EgressRule) []ccnp.IngressRule {
	var out []ccnp.IngressRule
	for _, e := range es {
		out = append(out, ccnp.IngressRule{FromEntities: e.ToEntities, FromNodes: e.ToNodes, ToPorts: e.ToPorts, ICMPs: e.ICMPs})
	}
	return out
}

func TestDefaultPeers(t *testing.T) {
	doc := testDoc()
	for _, tc := range []struct {
		group   string
		nodeSel bool
		want    []string
	}{
		{"MastersToMasters", false, []string{"host", "kube-apiserver", "remote-node"}},
		{"MastersToMasters", true, []string{"host", "nodes:masters"}},
		{"NodesToNodes", false, []string{"host", "remote-node"}},
		{"ExternalToFrontends", false, []string{"world"}},
		{"NodesToExternal", false, []string{"world"}},
	} {
		if diff := cmp.Diff(tc.want, DefaultPeers(doc.Group(tc.group), tc.nodeSel)); diff != "" {
			t.Errorf("%s (nodeSelectorLabels %v) (-want +got):\n%s", tc.group, tc.nodeSel, diff)
		}
	}
	g := doc.Group("NodesToNodes")
	c, err := Options{}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"cluster", "host", "remote-node"}, c.peersFor(g, &g.Rules[2])); diff != "" {
		t.Errorf("metrics row peers (-want +got):\n%s", diff)
	}
}
