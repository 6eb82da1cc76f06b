package kubernetes

import (
	"encoding/json"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/yaml"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/spec"
)

const hostile = "a: b # c\n- { d } [e] \"f\" 'g' |\n---\nkind: Secret\r\n\u2028\u0085... &h *i !j %k @l `m` ---"

// testDoc is a small document of our own making; every purpose ends with
// text (so that the metrics rows are the same whatever the prefix).
func testDoc(text string) *spec.Document {
	pos := func(line int) token.Position { return token.Position{Filename: "test.md", Line: line, Column: 1} }
	rule := func(line int, p spec.Protocol, purpose string, ports ...spec.PortRange) spec.Rule {
		purpose = text + purpose
		return spec.Rule{Protocol: p, Ports: ports, Pos: pos(line), Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose, Markdown: purpose}})}
	}
	pr := func(a, b uint16) spec.PortRange { return spec.PortRange{First: a, Last: b} }
	return &spec.Document{Source: "test.md", SHA256: "00", Groups: []spec.Group{
		{ID: "NodesToMasters", Known: true, From: spec.RoleNode, To: spec.RoleMaster, Direction: spec.Ingress, Pos: pos(1),
			Rules: []spec.Rule{rule(2, spec.TCP, " apiserver", pr(6443, 6443)), rule(3, spec.TCP, " controller metrics", pr(4222, 4222))}},
		{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode, Direction: spec.Ingress, Pos: pos(4),
			Rules: []spec.Rule{rule(5, spec.TCP, " DRBD", pr(7000, 7999)), rule(6, spec.ICMP, " ping metrics"), rule(7, spec.TCP, " range metrics", pr(4295, 4297))}},
	}}
}

// object is one generated policy: a NetworkPolicy or a CiliumNetworkPolicy.
type object struct {
	NP  networkingv1.NetworkPolicy
	CNP ccnp.Policy
}

func parse(t *testing.T, out *gen.Output) map[string]object {
	t.Helper()
	m := map[string]object{}
	for _, f := range out.Files {
		_, body, ok := strings.Cut(string(f.Data), "\n---\n")
		if !ok || strings.Contains(body, "\n---") {
			t.Fatalf("%s: want exactly one document after the comments:\n%s", f.Path, f.Data)
		}
		var o object
		var err error
		if strings.Contains(body, "kind: CiliumNetworkPolicy") {
			err = yaml.UnmarshalStrict([]byte(body), &o.CNP)
		} else {
			err = yaml.UnmarshalStrict([]byte(body), &o.NP)
		}
		if err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		m[f.Path] = o
	}
	return m
}

// TestCiliumPolicies: with Cilium (the default) each pod client gets a
// CiliumNetworkPolicy naming the nodes by identity, never by ipBlock
// (which Cilium never matches against a node: docs/enforcement-facts.md 3).
func TestCiliumPolicies(t *testing.T) {
	out, err := New().Generate(gen.Request{Doc: testDoc("")})
	if err != nil {
		t.Fatal(err)
	}
	objs := parse(t, out)
	var files []string
	for f := range objs {
		files = append(files, f)
	}
	if diff := cmp.Diff([]string{"d8-monitoring_portspec-prometheus-node-ports.yaml"}, files); diff != "" {
		t.Fatalf("files (-want +got):\n%s", diff)
	}
	p := objs["d8-monitoring_portspec-prometheus-node-ports.yaml"].CNP
	if p.Kind != "CiliumNetworkPolicy" || p.Metadata.Namespace != "d8-monitoring" ||
		!cmp.Equal(p.Spec.EndpointSelector.MatchLabels, map[string]string{"k8s:app.kubernetes.io/name": "prometheus", "k8s:prometheus": "main"}) {
		t.Errorf("object %+v", p)
	}
	var got []string
	for _, r := range p.Spec.Egress {
		for _, pr := range r.ToPorts {
			for _, pp := range pr.Ports {
				s := strings.Join(r.ToEntities, ",") + " " + pp.Protocol + "/" + pp.Port
				if pp.EndPort != 0 {
					s += "-" + itoa(pp.EndPort)
				}
				got = append(got, s)
			}
		}
	}
	// The masters' metrics row to the masters' identities, the nodes' rows
	// to every node's; 6443 is any pod's (no policy), DRBD a host row.
	if diff := cmp.Diff([]string{"host,kube-apiserver TCP/4222", "host,remote-node TCP/4295-4297"}, got); diff != "" {
		t.Errorf("egress (-want +got):\n%s", diff)
	}
	warn := strings.Join(out.Warnings, "\n")
	for _, w := range []string{"NodesToNodes TCP/7000-7999; NodesToNodes ICMP", "reached by any pod (NodesToMasters TCP/6443)"} {
		if !strings.Contains(warn, w) {
			t.Errorf("warnings lack %q:\n%s", w, warn)
		}
	}
	for _, f := range out.Files {
		if !gen.IsGenerated(f.Data) || !strings.Contains(string(f.Data), "ISOLATES THE SELECTED PODS' EGRESS") {
			t.Errorf("%s: header missing", f.Path)
		}
	}
}

// TestFlannelPolicies: with Flannel the policies are NetworkPolicies with
// ipBlock of the node networks, which must be given.
func TestFlannelPolicies(t *testing.T) {
	out, err := New().Generate(gen.Request{Doc: testDoc(""), Options: json.RawMessage(`{"cni": "flannel", "nodeCIDRs": ["192.168.0.0/24"], "masterCIDRs": ["192.168.0.0/28"]}`)})
	if err != nil {
		t.Fatal(err)
	}
	np := parse(t, out)["d8-monitoring_portspec-prometheus-node-ports.yaml"].NP
	if diff := cmp.Diff([]networkingv1.PolicyType{networkingv1.PolicyTypeEgress}, np.Spec.PolicyTypes); diff != "" {
		t.Errorf("policyTypes (-want +got):\n%s", diff)
	}
	var got []string
	for _, r := range np.Spec.Egress {
		for _, p := range r.Ports {
			s := r.To[0].IPBlock.CIDR + " " + string(*p.Protocol) + "/" + p.Port.String()
			if p.EndPort != nil {
				s += "-" + itoa(*p.EndPort)
			}
			got = append(got, s)
		}
	}
	if diff := cmp.Diff([]string{"192.168.0.0/28 TCP/4222", "192.168.0.0/24 TCP/4295-4297"}, got); diff != "" {
		t.Errorf("egress (-want +got):\n%s", diff)
	}
}

func itoa(i int32) string { b, _ := json.Marshal(i); return string(b) }

func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct{ opts, want string }{
		{`{"cni": "flannel", "nodeCIDRs": ["10.0.0.1/8"]}`, `nodeCIDRs: "10.0.0.1/8" is not a CIDR`},
		{`{"cni": "flannel"}`, `nodeCIDRs: required with cni: flannel`},
		{`{"cni": "calico"}`, `cni: "calico" is not one of cilium, flannel`},
		{`{"nodeCIDRs": ["10.0.0.0/8"]}`, `nodeCIDRs and masterCIDRs are for cni: flannel`},
		{`{"policies": []}`, `unknown field "policies"`},
	} {
		_, err := New().Generate(gen.Request{Doc: testDoc(""), Options: json.RawMessage(tc.opts)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("options %s: error %v, want it to contain %q", tc.opts, err, tc.want)
		}
	}
}

// TestHostileText: purposes full of YAML syntax leave the objects as they
// are with plain purposes, and appear only in comment lines.
func TestHostileText(t *testing.T) {
	plain, err := New().Generate(gen.Request{Doc: testDoc("plain")})
	if err != nil {
		t.Fatal(err)
	}
	evil, err := New().Generate(gen.Request{Doc: testDoc(hostile)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(parse(t, plain), parse(t, evil)); diff != "" {
		t.Errorf("hostile text changed the objects (-plain +hostile):\n%s", diff)
	}
	for _, f := range evil.Files {
		head, _, _ := strings.Cut(string(f.Data), "\n---\n")
		for _, line := range strings.Split(head, "\n") {
			if !strings.HasPrefix(line, "#") {
				t.Errorf("%s: non-comment line before the object: %q", f.Path, line)
			}
		}
	}
}
