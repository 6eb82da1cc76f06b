package parser_test

import (
	"testing"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// TestRulesOwnTheirPurposes: the parser carves every rule's purposes out of
// one array, and the two rules of a TCP/UDP row share theirs; a change to
// one rule's purposes still changes no other rule, in every form.
func TestRulesOwnTheirPurposes(t *testing.T) {
	for name, src := range map[string]string{
		"markdown": "## Master to master nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 1 | TCP/UDP | one |\n| 2 | TCP | two |\n| 3 | UDP | three |\n",
		"html":     "<h2>Master to master nodes traffic</h2><table><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr><tr><td>1</td><td>TCP/UDP</td><td>one</td></tr><tr><td>2</td><td>TCP</td><td>two</td></tr><tr><td>3</td><td>UDP</td><td>three</td></tr></table>",
		"data":     "groups:\n- group: MastersToMasters\n  description: {en: Masters}\n  destinations:\n  - {ports: \"1\", protocol: TCP/UDP, description: {en: one}}\n  - {ports: \"2\", protocol: TCP, description: {en: two}}\n  - {ports: \"3\", protocol: UDP, description: {en: three}}\n",
	} {
		t.Run(name, func(t *testing.T) {
			doc, err := parser.Parse("x", []byte(src), parser.Options{})
			if err != nil {
				t.Fatal(err)
			}
			rules := doc.Groups[0].Rules
			want := []string{"one", "one", "two", "three"}
			if len(rules) != len(want) {
				t.Fatalf("%d rules, want %d", len(rules), len(want))
			}
			for i := range rules {
				rules[i].Purposes.Set("en", spec.Purpose{Text: "changed"})
				rules[i].Purposes.Set("ru", spec.Purpose{Text: "изменено"})
				for j, r := range rules[i+1:] {
					if got := r.Purpose("en"); got != want[i+1+j] || r.Purposes.Len() != 1 {
						t.Errorf("after rule %d changed: rule %d has %d purposes, en %q, want %q", i, i+1+j, r.Purposes.Len(), got, want[i+1+j])
					}
				}
			}
		})
	}
}
