package eval

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/gen/cilium/ccnp"
	"github.com/portspec/portspec/spec"
)

// The evaluator refuses what it does not model instead of guessing.
func TestRefuses(t *testing.T) {
	ports := func(pp ...ccnp.PortProtocol) []ccnp.PortRule { return []ccnp.PortRule{{Ports: pp}} }
	for _, tc := range []struct {
		name string
		rule ccnp.IngressRule
		want string
	}{
		{"ports and icmps", ccnp.IngressRule{FromEntities: []string{"world"}, ToPorts: ports(ccnp.PortProtocol{Port: "22", Protocol: "TCP"}), ICMPs: []ccnp.ICMPRule{{Fields: []ccnp.ICMPField{{Family: "IPv4", Type: 8}}}}}, "toPorts and icmps"},
		{"two peer kinds", ccnp.IngressRule{FromEntities: []string{"world"}, FromNodes: []ccnp.Selector{{}}}, "entities and nodes"},
		{"port 0", ccnp.IngressRule{FromEntities: []string{"world"}, ToPorts: ports(ccnp.PortProtocol{Port: "0", Protocol: "TCP"})}, `port "0"`},
		{"named port", ccnp.IngressRule{FromEntities: []string{"world"}, ToPorts: ports(ccnp.PortProtocol{Port: "http", Protocol: "TCP"})}, `port "http"`},
		{"lower-case", ccnp.IngressRule{FromEntities: []string{"world"}, ToPorts: ports(ccnp.PortProtocol{Port: "22", Protocol: "tcp"})}, `protocol "tcp"`},
		{"endPort below", ccnp.IngressRule{FromEntities: []string{"world"}, ToPorts: ports(ccnp.PortProtocol{Port: "22", EndPort: 21, Protocol: "TCP"})}, "endPort 21 below"},
		{"unmodelled entity", ccnp.IngressRule{FromEntities: []string{"ingress"}}, `entity "ingress"`},
	} {
		p := ccnp.Policy{Metadata: ccnp.Metadata{Name: "p"}, Spec: ccnp.Spec{NodeSelector: &ccnp.Selector{}, Ingress: []ccnp.IngressRule{tc.rule}}}
		if _, err := Evaluate([]ccnp.Policy{p}, Cluster{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A masters policy selects only the master; an L3-only rule allows any
// port; host is the node itself; a range stays a range.
func TestEvaluate(t *testing.T) {
	c := Cluster{Masters: map[string]string{"role": "m"}}
	pols := []ccnp.Policy{{Metadata: ccnp.Metadata{Name: "m"}, Spec: ccnp.Spec{
		NodeSelector: &ccnp.Selector{MatchLabels: map[string]string{"role": "m"}},
		Ingress: []ccnp.IngressRule{
			{FromEntities: []string{"host"}, ToPorts: []ccnp.PortRule{{Ports: []ccnp.PortProtocol{{Port: "7000", EndPort: 7999, Protocol: "TCP"}}}}},
			{FromNodes: []ccnp.Selector{{MatchLabels: map[string]string{"role": "m"}}}},
		},
	}}}
	got, err := Evaluate(pols, c)
	if err != nil {
		t.Fatal(err)
	}
	want := []Flow{
		{From: Master, To: Master, Protocol: "ANY", Ports: spec.PortRange{First: 0, Last: 65535}},
		{From: Master, To: Master, Protocol: "TCP", Ports: spec.PortRange{First: 7000, Last: 7999}},
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %v, want %v", got, want)
	}
}
