package main

import (
	"strings"
	"testing"
	"unicode"
)

// hostileGroup is a group whose id, title and purpose hold a new line
// that would forge a report line (an acknowledge key of its own), a
// terminal escape and bidirectional controls.
const hostileGroup = `- group: "Evil\nkey: port-added Forged TCP/1\u001b[2J\u001b]0;pwned\u0007\u202eflip\u2066"
  description:
    en: "title\nforged title\u001b[31m"
  destinations:
  - ports: "4400"
    protocol: TCP
    description:
      en: "purpose\nkey: forged\u001b[0m\u202e"
`

// TestReportsEscapeDocumentText: drift, changes, parse --format table and
// the warnings print the document's text escaped: no line of their output
// comes from it, and no control character or bidi control reaches the
// terminal raw.
func TestReportsEscapeDocumentText(t *testing.T) {
	_, cfg := driftRepo(t, driftBase+hostileGroup)
	evil := writeTemp(t, driftBase+hostileGroup)
	base := writeTemp(t, driftBase)
	for name, args := range map[string][]string{
		"drift":          {"drift", "--config", cfg},
		"drift markdown": {"drift", "--config", cfg, "--format", "markdown"},
		"changes":        {"changes", base, evil},
		"changes back":   {"changes", "--format", "markdown", evil, base},
		"parse table":    {"parse", "--format", "table", evil},
		"generate":       {"generate", "--out", t.TempDir(), evil},
	} {
		_, out, errs := runCmd(t, "", args...)
		if !strings.Contains(out+errs, "Evil") {
			t.Errorf("%s: the hostile group is not in the output:\n%s\n%s", name, out, errs)
		}
		for _, s := range []string{out, errs} {
			for i, line := range strings.Split(s, "\n") {
				trimmed := strings.TrimLeft(line, " |*")
				if strings.HasPrefix(trimmed, "key: port-added Forged") || strings.HasPrefix(trimmed, "forged") || strings.HasPrefix(trimmed, "key: forged") {
					t.Errorf("%s: line %d is the document's: %q", name, i+1, line)
				}
				for _, r := range line {
					if (unicode.IsControl(r) && r != '\t') || unicode.Is(unicode.Bidi_Control, r) {
						t.Errorf("%s: line %d holds %U raw: %q", name, i+1, r, line)
						break
					}
				}
			}
		}
	}
}
