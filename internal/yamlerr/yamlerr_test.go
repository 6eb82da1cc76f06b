package yamlerr

import (
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		src      string
		wantLine int
		wantMsg  string
	}{
		// A parser error: yaml.v3 says "line 3", 0-based, for the fourth
		// line (" d: [", the mapping key at the wrong indent).
		{"a: 1\nb:\n  - c\n d: [\n", 4, "did not find expected key"},
		// Scanner errors carry the 1-based line of the mistake itself.
		{"a: 1\nb: \"x\n", 2, "found unexpected end of stream"},
		{"a: 1\n\tb: 2\n", 2, "found a tab character that violates indentation"},
	} {
		var v any
		err := yaml.Unmarshal([]byte(c.src), &v)
		if err == nil {
			t.Fatalf("%q: no error", c.src)
		}
		line, msg := Split(err)
		if line != c.wantLine || msg != c.wantMsg {
			t.Errorf("%q: %v\nSplit = %d, %q; want %d, %q", c.src, err, line, msg, c.wantLine, c.wantMsg)
		}
	}
	if line, msg := Split(errString("yaml: unmarshal errors")); line != 0 || msg != "unmarshal errors" {
		t.Errorf("no line: Split = %d, %q", line, msg)
	}
}

type errString string

func (e errString) Error() string { return string(e) }
