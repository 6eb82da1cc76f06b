package sockets

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

// FuzzParse: any bytes in place of a /proc/net table give sockets or an
// error at file:line:col, never a panic, and every socket is a listener of
// the table's protocol and family.
func FuzzParse(f *testing.F) {
	f.Add([]byte(header+"   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 101 1\n"), false, false)
	f.Add([]byte(header+"   0: 00000000000000000000000000000000:2802 00000000000000000000000000000000:0000 07 0:0 0:0 0 0 0 7\n"), true, true)
	f.Add([]byte("garbage\n\n"), false, true)
	f.Fuzz(func(t *testing.T, src []byte, ipv6, udp bool) {
		proto := spec.TCP
		if udp {
			proto = spec.UDP
		}
		socks, err := Parse("net/x", src, proto, ipv6)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "net/x:") {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		for _, s := range socks {
			if s.Protocol != proto || s.Addr.Is6() != ipv6 || (udp && s.Port == 0) {
				t.Fatalf("socket %+v from a %s table (ipv6 %v)", s, proto, ipv6)
			}
		}
	})
}
