package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

func runParseCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCmd(t, stdin, append([]string{"parse"}, args...)...)
}

func TestParseDefaultJSON(t *testing.T) {
	code, out, errOut := runParseCmd(t, "")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var doc spec.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("output is not the model's JSON: %v", err)
	}
	if doc.Source != spec.DefaultName || len(doc.Groups) != 7 || doc.RuleCount() != 48 {
		t.Errorf("source %q, %d groups, %d rules", doc.Source, len(doc.Groups), doc.RuleCount())
	}
	// The fields the issue names are there, as JSON.
	var raw struct {
		Groups []struct {
			ID    string
			Rules []struct {
				Protocol string
				Purpose  string
				Ports    []struct{ First, Last *int }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	r := raw.Groups[0].Rules[0]
	if raw.Groups[0].ID != "MastersToMasters" || r.Protocol != "TCP" || r.Purpose == "" || len(r.Ports) == 0 || r.Ports[0].First == nil || r.Ports[0].Last == nil {
		t.Errorf("JSON lacks groups[].id, rules[].protocol, ports[].first/last or purpose: %+v", raw.Groups[0])
	}
}

func TestParseTable(t *testing.T) {
	code, out, _ := runParseCmd(t, "", "--format", "table")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		"Master to master nodes traffic (MastersToMasters; master → master, ingress)",
		"External traffic for all nodes (NodesToExternal; node → external, egress)",
		"PORT", "2379, 2380",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^-\s+ICMP\s+ICMP for node-to-node connectivity monitoring$`).MatchString(out) {
		t.Errorf("table lacks the ICMP row with \"-\" for its ports:\n%s", out)
	}
}

func TestParseStdinAndKind(t *testing.T) {
	data := "groups:\n- group: NodesToNodes\n  destinations:\n  - ports: \"4218\"\n    protocol: TCP/UDP\n    description: {en: memberlist}\n"
	code, out, errOut := runParseCmd(t, data, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var doc spec.Document
	if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Kind != "data" || doc.RuleCount() != 2 {
		t.Errorf("kind %q, %d rules, err %v", doc.Kind, doc.RuleCount(), err)
	}
	// Forced to markdown, the same bytes hold no tables: exit 1.
	code, _, errOut = runParseCmd(t, data, "--kind", "markdown", "-")
	if code != exitInvalid || !strings.Contains(errOut, "-:1:1: no port tables found") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestParseInvalidInput(t *testing.T) {
	bad := "## Nodes to nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 0 | TCP | zero |\n| 80,,443 | SCTP | two |\n\n## Moon\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 1 | UDP | x |\n"
	path := filepath.Join(t.TempDir(), "bad.md")
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runParseCmd(t, "", path)
	if code != exitInvalid || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	want := []string{
		"warning: " + path + ":8:1: heading \"Moon\" is not one of the page's known sections",
		path + ":5:1: port 0 is out of range",
		path + ":6:3: empty entry in port list",
		path + ":6:13: unknown protocol \"SCTP\"",
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != len(want) {
		t.Fatalf("stderr has %d lines, want %d:\n%s", len(lines), len(want), errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("stderr line %d = %q, want prefix %q", i+1, lines[i], w)
		}
	}
}

func TestParseUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--help"}, exitOK, "usage: portspec parse"},
		{[]string{"--format", "xml"}, exitUsage, "unknown format"},
		{[]string{"--kind", "pdf"}, exitUsage, "unknown kind"},
		{[]string{"a", "b"}, exitUsage, "one document at most"},
		{[]string{"--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{filepath.Join(os.TempDir(), "portspec-no-such-file.md")}, exitUsage, "no such file"},
		{[]string{"http://example.invalid/x"}, exitUsage, "refusing plain http"},
	} {
		code, out, errOut := runParseCmd(t, "", tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tc.args, code, out+errOut, tc.code, tc.want)
		}
	}
}
