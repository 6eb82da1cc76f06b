package spec

import (
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	dropX := func(r rune) rune {
		if r == 'x' {
			return -1
		}
		return r
	}
	for _, tc := range []struct {
		in, want string
		mapRune  func(rune) rune
	}{
		{"  a \t\n b  ", "a b", nil},
		{"", "", nil},
		{" \n ", "", nil},
		{"a x b", "a b", dropX},           // a dropped rune does not end the run of space
		{"axb x", "ab", dropX},            // nor make one, nor leave a trailing space
		{"x a\u2003b", "a\u2003b", dropX}, // only what isSpace reports is folded
	} {
		if got := Fold(tc.in, tc.mapRune, func(r rune) bool { return r < 0x80 && unicode.IsSpace(r) }); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNormalizePurpose(t *testing.T) {
	for _, tc := range [][2]string{
		{"kube-apiserver for node’s host", "kube-apiserver for node's host"},
		{"  *DRBD*   replication.", "drbd replication"},
		{"4295\u20114297 range", "4295-4297 range"},
	} {
		if a, b := NormalizePurpose(tc[0]), NormalizePurpose(tc[1]); a != b {
			t.Errorf("NormalizePurpose(%q) = %q, NormalizePurpose(%q) = %q: want equal", tc[0], a, tc[1], b)
		}
	}
	if NormalizePurpose("NTP") == NormalizePurpose("DNS") {
		t.Error("different purposes normalized equal")
	}
}
