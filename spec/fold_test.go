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

// TestFoldFastPath: the unchanged-text shortcut returns exactly what the
// loop builds, on every string of a small alphabet of the cases that matter
// (spaces, runes a mapper changes or drops, invalid UTF-8) up to length 4.
func TestFoldFastPath(t *testing.T) {
	alphabet := []string{"a", " ", "\t", "x", "\xff", "é", "\u2003"}
	dropX := func(r rune) rune {
		if r == 'x' {
			return -1
		}
		return r
	}
	isSpace := func(r rune) bool { return unicode.IsSpace(r) }
	var walk func(s string, n int)
	walk = func(s string, n int) {
		for _, m := range []func(rune) rune{nil, dropX} {
			if got, want := Fold(s, m, isSpace), foldSlow(s, m, isSpace); got != want {
				t.Errorf("Fold(%q) = %q, the loop builds %q", s, got, want)
			}
		}
		if n == 0 {
			return
		}
		for _, c := range alphabet {
			walk(s+c, n-1)
		}
	}
	walk("", 4)
	if s := "already folded text"; !folded(s, nil, isSpace) {
		t.Errorf("folded(%q) = false: the shortcut is never taken", s)
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Prometheus metrics of the node's kubelet, scraped by the monitoring pods"
	b.ReportAllocs()
	for b.Loop() {
		Fold(s, nil, unicode.IsSpace)
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
