package spec

import "testing"

func TestComparePorts(t *testing.T) {
	r := func(a, b uint16) PortRange { return PortRange{a, b} }
	for _, tc := range []struct {
		a, b PortRange
		want int
	}{
		{r(80, 80), r(80, 80), 0},
		{r(22, 22), r(80, 80), -1},
		{r(7000, 7999), r(7000, 7001), 1}, // same first port: the shorter first
		{r(65535, 65535), r(0, 65535), 1},
	} {
		if got := ComparePorts(tc.a, tc.b); got != tc.want {
			t.Errorf("ComparePorts(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
