package lazyre

import "testing"

// TestNew: the pattern is compiled once, on the first call, and matches.
func TestNew(t *testing.T) {
	re := New(`^a+$`)
	first := re()
	if !first.MatchString("aaa") || first.MatchString("ab") {
		t.Errorf("%v matches wrongly", first)
	}
	if re() != first {
		t.Error("a second call compiled the pattern again")
	}
	bad := New(`(`) // not compiled until called
	defer func() {
		if recover() == nil {
			t.Error("an invalid pattern did not panic on first use")
		}
	}()
	bad()
}
