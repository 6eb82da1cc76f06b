package ccnp

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	const head = "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: a}\n"
	for _, tc := range []struct{ src, wantErr string }{
		{"# only a comment\n---\n" + head + "spec: {nodeSelector: {}}\n---\n# trailing\n", ""},
		{head + "spec: {nodeSelector: {}, ingress: [{fromEntity: [world]}]}\n", `unknown field "fromEntity"`},
		{head + "spec: {nodeSelector: {}, ingress: [{fromRequires: [{}]}]}\n", `unknown field "fromRequires"`},
		{"apiVersion: cilium.io/v2\nkind: NetworkPolicy\nmetadata: {name: a}\n", "is not a cilium.io/v2 CiliumClusterwideNetworkPolicy or CiliumNetworkPolicy"},
		{"apiVersion: cilium.io/v1\nkind: CiliumNetworkPolicy\nmetadata: {name: a}\n", "is not a cilium.io/v2"},
	} {
		ps, err := Parse("x.yaml", []byte(tc.src))
		if tc.wantErr == "" {
			if err != nil || len(ps) != 1 || ps[0].Spec.NodeSelector == nil {
				t.Errorf("Parse(%q) = %+v, %v; want one policy with nodeSelector {}", tc.src, ps, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("Parse(%q) error %v, want %q", tc.src, err, tc.wantErr)
		}
	}
}
