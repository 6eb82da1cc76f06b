package outpath

import "testing"

func TestCheck(t *testing.T) {
	for _, ok := range []string{"a", "a/b.go", "a/.b", "..a/b"} {
		if err := Check(ok); err != nil {
			t.Errorf("Check(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", ".", "..", "../a", "a/../../b", "/a", `a\b`, "C:a", "a/", "a//b", "a/./b"} {
		if err := Check(bad); err == nil {
			t.Errorf("Check(%q) accepted", bad)
		}
	}
}
