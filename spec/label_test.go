package spec

import "testing"

func TestRuleLabel(t *testing.T) {
	for _, tc := range []struct {
		r    Rule
		want string
	}{
		{Rule{Protocol: TCP, Ports: []PortRange{{2379, 2379}, {2380, 2380}}}, "TCP/2379, 2380"},
		{Rule{Protocol: UDP, Ports: []PortRange{{7000, 7999}}}, "UDP/7000-7999"},
		{Rule{Protocol: ICMP}, "ICMP"},
	} {
		if got := tc.r.Label(); got != tc.want {
			t.Errorf("Label() = %q, want %q", got, tc.want)
		}
	}
}
