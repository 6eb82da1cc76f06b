package ansible

import (
	"bytes"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// yamlUnsafe is yaml.v3's own line for `k: Unsafe(v)`, the value's part.
func yamlUnsafe(t testing.TB, v string) string {
	out, err := yaml.Marshal(map[string]Unsafe{"k": Unsafe(v)})
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(string(out), "k: ")
}

// FuzzDoubleQuoted: doubleQuoted writes any text as yaml.v3 writes the
// Unsafe scalar, byte for byte, and it reads back as the text (made valid
// UTF-8).
func FuzzDoubleQuoted(f *testing.F) {
	for _, s := range append(gentest.Hostile(), "", "\uFEFFbom first", "a\uFEFFb", "\U0001F600 \u2028\u2029\u0085\u00a0\x7f\x1b\t", "\xff\xfe", "\"\\", "é\u00ad\ufffe\uffff\ue000") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		doubleQuoted(&b, s)
		if got, want := b.String(), yamlUnsafe(t, s); got != want {
			t.Fatalf("doubleQuoted(%q) = %q, yaml.v3 writes %q", s, got, want)
		}
		var back map[string]string
		if err := yaml.Unmarshal([]byte("k: "+b.String()), &back); err != nil {
			t.Fatalf("%q does not read back: %v", b.String(), err)
		}
		if back["k"] != validText(s) {
			t.Errorf("%q reads back as %q, want %q", b.String(), back["k"], validText(s))
		}
	})
}

// TestRulesWrittenDirectly: on the real document, a large one and hostile
// text, no rule falls back to yaml.v3 (so the comparison with the whole
// document in TestMarshalMatchesWholeDocument is a comparison of
// ruleWriter's bytes), and a string with no one-line form does fall back.
func TestRulesWrittenDirectly(t *testing.T) {
	for name, doc := range map[string]*spec.Document{
		"default": gentest.Default(t),
		"big":     gentest.Big(2000),
		"hostile": gentest.WithHostile(gentest.Small()),
	} {
		v := varsOf(t, doc)
		var c chunker
		w := newRuleWriter(&c)
		n := 0
		for _, rules := range v.Rules {
			for i := range rules {
				var b bytes.Buffer
				if err := w.write(&b, "    ", &rules[i]); err != nil {
					t.Fatal(err)
				}
				n++
			}
		}
		if n == 0 || w.fallbacks != 0 {
			t.Errorf("%s: %d of %d rules went through yaml.v3", name, w.fallbacks, n)
		}
	}
	r := varsOf(t, gentest.Small()).Rules["master"][0]
	r.Notes = []string{"two\nlines"}
	var c chunker
	w := newRuleWriter(&c)
	var got bytes.Buffer
	if err := w.write(&got, "    ", &r); err != nil {
		t.Fatal(err)
	}
	want, err := yaml.Marshal([]Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	if w.fallbacks != 1 {
		t.Errorf("a note of two lines: %d fallbacks, want 1", w.fallbacks)
	}
	var back []Rule
	if err := yaml.Unmarshal(got.Bytes(), &back); err != nil || len(back) != 1 || back[0].Notes[0] != "two\nlines" {
		t.Errorf("the fallback does not read back (%v):\n%s\nyaml.v3:\n%s", err, got.String(), want)
	}
}

// FuzzKnownForm: where knownForm answers, it answers as yaml.v3 does, in a
// flow list and as a block value.
func FuzzKnownForm(f *testing.F) {
	for _, s := range []string{"ingress", "node", "tcp", "ipv6-icmp", "echo-request", "53", "0053", "18446744073709551616", "yes", "no", "on", "off", "y", "n", "true", "null", "a-", "-a", "x1", "icmpv6", ""} {
		f.Add(s)
	}
	f.Add(strings.Repeat("1", 400)) // no number type holds it: yaml.v3 writes it plain
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := knownForm(s)
		if !ok {
			return
		}
		for _, flow := range []bool{false, true} {
			if want := askYAML(s, flow); got != want {
				t.Fatalf("knownForm(%q) = %q, yaml.v3 writes %q (flow %v)", s, got, want, flow)
			}
		}
	})
}

// FuzzAskBatch: asking yaml.v3 for many strings in one document gives
// each the form it has alone (askYAML), in a flow list and as a block
// value, whatever its neighbours are.
func FuzzAskBatch(f *testing.F) {
	for _, s := range append(gentest.Hostile(), "30000:32767", "22:23", "53/tcp", "7000-7999", "two\nlines", "a]", "- x", "#c", "", " lead", "trail ", "yes", "0x1F", "2001-12-14") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, flow := range []bool{false, true} {
			vs := []string{"before", s, "two\nlines", s + " after"}
			forms := askBatch(vs, flow)
			if forms == nil {
				t.Fatalf("askBatch(%q, flow %v) = nil", vs, flow)
			}
			for i, v := range vs {
				if want := askYAML(v, flow); forms[i] != want {
					t.Fatalf("askBatch form of %q = %q, alone %q (flow %v)", v, forms[i], want, flow)
				}
			}
		}
	})
}
