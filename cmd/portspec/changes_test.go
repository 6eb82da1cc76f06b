package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
)

// runCmd runs the CLI in process and returns its exit code and streams.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// jsonReport is the part of the JSON report the tests read.
type jsonReport struct {
	Summary struct{ Drift, Warnings, Acknowledged int }
	Changes []struct {
		Key, Kind, Severity, Group, OldGroup, Protocol, Pos, FirewallRole string
		Ports, OldPorts                                                   []string
		Acknowledged                                                      bool
	}
}

func decodeReport(t *testing.T, s string) jsonReport {
	t.Helper()
	var r jsonReport
	if err := json.Unmarshal([]byte(s), &r); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, s)
	}
	return r
}

// moves returns the report's moves as "OLDGROUP old,ports PROTO -> GROUP new,ports".
func (r jsonReport) moves() map[string]bool {
	m := map[string]bool{}
	for _, c := range r.Changes {
		if c.Kind == "moved" {
			m[c.OldGroup+" "+strings.Join(c.OldPorts, ",")+" "+c.Protocol+" -> "+c.Group+" "+strings.Join(c.Ports, ",")] = true
		}
	}
	return m
}

func TestChangesUpstreamHistory(t *testing.T) {
	data := func(v string) string { return upstream.Path(t, filepath.Join("data", v+".yml")) }

	code, out, errs := runCmd(t, "", "changes", "--format", "json", data("2024-06-01_28d10e1297"), data("2024-07-02_5408b90b2f"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	mv := decodeReport(t, out).moves()
	for _, want := range []string{
		"MastersToMasters 9443 TCP -> MastersToMasters 4200",
		"MastersToMasters 9444 TCP -> MastersToMasters 4201",
		"MastersToNodes 10423 TCP -> MastersToNodes 4221",
		"NodesToMasters 8443 TCP -> NodesToMasters 4203",
	} {
		if !mv[want] {
			t.Errorf("2024-06-01 → 2024-07-02: no move %q among %v", want, mv)
		}
	}

	code, out, errs = runCmd(t, "", "changes", data("2024-07-25_2370e3b03c"), data("2024-07-26_b79ea808ba"), "--format=json")
	r := decodeReport(t, out)
	if code != exitOK || len(r.Changes) != 1 || !r.moves()["MastersToNodes 9680 TCP -> MastersToNodes 4227"] {
		t.Errorf("2024-07-25 → 2024-07-26: want exactly 9680 → 4227, got exit %d %+v\n%s", code, r.Changes, errs)
	}

	code, out, _ = runCmd(t, "", "changes", "--format", "json", data("2024-07-10_ae202cad67"), data("2024-07-25_2370e3b03c"))
	r = decodeReport(t, out)
	if code != exitOK || len(r.Changes) != 1 || !r.moves()["NodesToNodes 123 UDP -> NodesToMasters 4234"] {
		t.Errorf("2024-07-10 → 2024-07-25: want exactly the NTP move, got exit %d %+v", code, r.Changes)
	}

	// The text form lists it under both firewalls: opened on masters,
	// closed on nodes.
	code, out, _ = runCmd(t, "", "changes", data("2024-07-10_ae202cad67"), data("2024-07-25_2370e3b03c"))
	for _, want := range []string{
		"master, ingress\n  drift:   move 123/UDP [NodesToNodes] → 4234/UDP [NodesToMasters] from node",
		"node, ingress\n  drift:   close 123/UDP from node [NodesToNodes] (moved to NodesToMasters as 4234/UDP)",
		"2024-07-25_2370e3b03c.yml:59:5",
	} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("text report (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
}

func TestChangesMixedKinds(t *testing.T) {
	md := upstream.Path(t, "rendered/en/2024-07-02_5408b90b2f.md")
	yml := upstream.Path(t, "data/2024-07-02_5408b90b2f.yml")
	code, out, errs := runCmd(t, "", "changes", md, yml)
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Errorf("rendered page vs its data: want exit 0 and no changes, got %d:\n%s\n%s", code, out, errs)
	}
	// The seed from standard input against the embedded default ("").
	seed := upstream.Path(t, "seed/000_9b596b334cd8af9c.txt")
	code, out, errs = runCmd(t, readFile(t, seed), "changes", "-", "")
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Errorf("seed (stdin) vs embedded default: got %d:\n%s\n%s", code, out, errs)
	}
	// Mixed kinds with a change: the rendered 2024-07-10 page against the
	// 2024-07-25 data.
	code, out, _ = runCmd(t, "", "changes", "--format", "markdown",
		upstream.Path(t, "rendered/en/2024-07-10_ae202cad67.md"), upstream.Path(t, "data/2024-07-25_2370e3b03c.yml"))
	if code != exitOK || !strings.Contains(out, "### master, ingress") || !strings.Contains(out, "`moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234`") {
		t.Errorf("markdown report (exit %d):\n%s", code, out)
	}
}

// TestChangesSnapshots: a drift_test.go snapshot stands for the document it
// was generated from, on either side: the snapshots of two versions give
// the same report as the two data files, and a file that is no snapshot is
// an input that cannot be read.
func TestChangesSnapshots(t *testing.T) {
	data := func(v string) string { return upstream.Path(t, filepath.Join("data", v+".yml")) }
	snapshot := func(v string) string {
		doc, err := parser.Load(context.Background(), data(v), parser.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		out, err := drifttest.New().Generate(gen.Request{Doc: doc, Dir: "ports"})
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), drifttest.FileName)
		if err := os.WriteFile(p, out.Files[0].Data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	oldV, newV := "2024-06-01_28d10e1297", "2024-07-02_5408b90b2f"
	_, want, _ := runCmd(t, "", "changes", "--format", "markdown", data(oldV), data(newV))
	for name, args := range map[string][2]string{
		"both snapshots":   {snapshot(oldV), snapshot(newV)},
		"snapshot to data": {snapshot(oldV), data(newV)},
		"data to snapshot": {data(oldV), snapshot(newV)},
	} {
		code, got, errs := runCmd(t, "", "changes", "--format", "markdown", args[0], args[1])
		if code != exitOK || got != want || !strings.Contains(got, "moved") {
			t.Errorf("%s: exit %d, stderr %s; report differs from the data files' (-want +got):\n%s", name, code, errs, cmp.Diff(want, got))
		}
	}
	notSnap := filepath.Join(t.TempDir(), "main.go")
	os.WriteFile(notSnap, []byte("package main\n"), 0o644)
	for _, bad := range []string{notSnap, filepath.Join(t.TempDir(), "drift_test.go")} {
		code, out, errs := runCmd(t, "", "changes", bad, data(newV))
		if code != exitUsage || out != "" || !strings.Contains(errs, "cannot read") {
			t.Errorf("%s: want exit 2 and \"cannot read\", got %d\nstdout:\n%s\nstderr:\n%s", bad, code, out, errs)
		}
	}
}

func TestChangesErrors(t *testing.T) {
	invalid := upstream.Path(t, "data/2024-04-12_c744d58bd4.yml") // invalid YAML upstream
	good := upstream.Path(t, "data/2024-07-26_b79ea808ba.yml")
	for name, tc := range map[string]struct {
		args     []string
		wantCode int // 1: an invalid document; 2: unreadable, or a usage error
		wantErr  string
	}{
		"missing file":  {[]string{"changes", good, filepath.Join(t.TempDir(), "nope.yml")}, exitUsage, "cannot read"},
		"invalid input": {[]string{"changes", invalid, good}, exitInvalid, "2024-04-12_c744d58bd4.yml:177:1:"},
		"one argument":  {[]string{"changes", good}, exitUsage, "want two documents"},
		"three":         {[]string{"changes", good, good, good}, exitUsage, "want two documents"},
		"bad format":    {[]string{"changes", "--format", "yaml", good, good}, exitUsage, "unknown format"},
		"http refused":  {[]string{"changes", "http://127.0.0.1:1/x.yml", good}, exitUsage, "use https"},
		"both stdin":    {[]string{"changes", "-", "-"}, exitUsage, "standard input"},
		"raw page":      {[]string{"changes", upstream.Path(t, "en/2024-07-02_5408b90b2f.md"), good}, exitInvalid, "deckhouse-ports.yml"},
		"unknown flag":  {[]string{"changes", "--bogus", good, good}, exitUsage, "bogus"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", tc.args...)
			if code != tc.wantCode || !strings.Contains(errs, tc.wantErr) {
				t.Errorf("want exit %d and %q on stderr; got %d\nstdout:\n%s\nstderr:\n%s", tc.wantCode, tc.wantErr, code, out, errs)
			}
			if out != "" {
				t.Errorf("nothing compared, yet stdout has:\n%s", out)
			}
		})
	}
	if code, out, _ := runCmd(t, "", "changes", "--help"); code != exitOK || !strings.Contains(out, "usage: portspec changes") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
