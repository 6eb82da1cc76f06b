package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// Small data documents of our own making: the generated state, and the
// same with a port added, and with the group's heading and a purpose
// reworded.
const driftBase = `groups:
- group: NodesToNodes
  description:
    en: Nodes to nodes traffic
  destinations:
  - ports: "123"
    protocol: UDP
    description:
      en: NTP between nodes
  - ports: "4205"
    protocol: TCP
    description:
      en: ebpf-exporter metrics
`

const driftAdded = driftBase + "  - ports: \"4300\"\n    protocol: TCP\n    description:\n      en: something new\n"

var driftReworded = strings.NewReplacer("Nodes to nodes traffic", "Traffic between nodes",
	"ebpf-exporter metrics", "oom-kills-exporter metrics").Replace(driftBase)

// driftRepo lays out a repository generated from driftBase: portspec.yaml
// (input current.yml, out out/, an acknowledge file), the snapshot in
// out/ports/drift_test.go, and current.yml holding current.
func driftRepo(t *testing.T, current string, acks ...string) (dir, config string) {
	t.Helper()
	dir = t.TempDir()
	write := func(name, s string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	doc, err := parser.Parse("current.yml", []byte(driftBase), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	write("out/ports/"+drifttest.FileName, string(snapshotOf(t, doc)))
	write("current.yml", current)
	ack := "acknowledged:\n"
	for _, k := range acks {
		ack += "  - key: " + k + "\n    reason: seen in a test\n"
	}
	write("ack.yaml", ack)
	write("portspec.yaml", "version: 1\ninput: current.yml\nout: out\ntargets:\n  drifttest:\n    acknowledge: ack.yaml\n")
	return dir, filepath.Join(dir, "portspec.yaml")
}

func TestDriftNone(t *testing.T) {
	_, cfg := driftRepo(t, driftBase)
	code, out, errs := runCmd(t, "", "drift", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Errorf("unchanged document: want exit 0 and no changes, got %d\n%s\n%s", code, out, errs)
	}
}

func TestDriftFound(t *testing.T) {
	_, cfg := driftRepo(t, driftAdded)
	code, out, errs := runCmd(t, "", "drift", "--config", cfg)
	if code != exitInvalid {
		t.Fatalf("want exit 1, got %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"NodesToNodes (node → node, ingress)", `added 4300/TCP: "something new"`, "current.yml:14:5", "key: port-added NodesToNodes TCP/4300"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd(t, "", "drift", "--config", cfg, "--format", "json")
	if r := decodeReport(t, out); code != exitInvalid || r.Summary.Drift != 1 || r.Changes[0].Pos == "" {
		t.Errorf("json: exit %d, %+v", code, r)
	}
	code, out, _ = runCmd(t, "", "drift", "--config", cfg, "--format", "markdown")
	if code != exitInvalid || !strings.Contains(out, "| drift | added 4300/TCP") {
		t.Errorf("markdown: exit %d\n%s", code, out)
	}
}

func TestDriftAcknowledged(t *testing.T) {
	_, cfg := driftRepo(t, driftAdded, "port-added NodesToNodes TCP/4300", "moved NodesToNodes UDP/1 -> NodesToNodes UDP/2")
	code, out, errs := runCmd(t, "", "drift", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "drift, acknowledged:") {
		t.Errorf("acknowledged drift: want exit 0 and the change shown as acknowledged, got %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, `acknowledged change "moved NodesToNodes UDP/1 -> NodesToNodes UDP/2" no longer occurs`) {
		t.Errorf("stale acknowledgement not reported:\n%s", errs)
	}
	// --acknowledge names another file: here an empty list, so it fails.
	empty := filepath.Join(t.TempDir(), "none.yaml")
	os.WriteFile(empty, []byte("acknowledged: []\n"), 0o644)
	if code, _, _ := runCmd(t, "", "drift", "--config", cfg, "--acknowledge", empty); code != exitInvalid {
		t.Errorf("--acknowledge with no entries: want exit 1, got %d", code)
	}
}

func TestDriftPurposeOnlyIsWarning(t *testing.T) {
	_, cfg := driftRepo(t, driftReworded)
	code, out, errs := runCmd(t, "", "drift", "--config", cfg)
	if code != exitOK || !strings.Contains(out, `warning: purpose changed 4205/TCP [en]: "oom-kills-exporter metrics", was "ebpf-exporter metrics"`) {
		t.Errorf("purpose-only change: want exit 0 with the warning printed, got %d\n%s\n%s", code, out, errs)
	}
	if code, _, _ := runCmd(t, "", "drift", "--config", cfg, "--strict"); code != exitInvalid {
		t.Errorf("--strict: want exit 1, got %d", code)
	}
}

func TestDriftSourceOverHTTP(t *testing.T) {
	_, cfg := driftRepo(t, driftBase)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ports.yml":
			w.Write([]byte(driftAdded))
		case "/slow":
			select { // until the client gives up
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		case "/redirect":
			http.Redirect(w, r, "ftp://example.invalid/ports.yml", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	code, out, errs := runCmd(t, "", "drift", "--config", cfg, "--allow-http", "--source", srv.URL+"/ports.yml")
	if code != exitInvalid || !strings.Contains(out, "port-added NodesToNodes TCP/4300") || !strings.Contains(out, srv.URL+"/ports.yml:14:5") {
		t.Errorf("changed document over http: want exit 1 naming the change, got %d\n%s\n%s", code, out, errs)
	}
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"http without --allow-http":  {[]string{"--source", srv.URL + "/ports.yml"}, "use https"},
		"not found":                  {[]string{"--allow-http", "--source", srv.URL + "/missing.yml"}, "404"},
		"redirect to another scheme": {[]string{"--allow-http", "--source", srv.URL + "/redirect"}, "another scheme"},
		"too large":                  {[]string{"--allow-http", "--max-bytes", "10", "--source", srv.URL + "/ports.yml"}, "larger than 10 bytes"},
		"too slow":                   {[]string{"--allow-http", "--timeout", "200ms", "--source", srv.URL + "/slow"}, "cannot read"},
		"unreachable":                {[]string{"--allow-http", "--source", "http://127.0.0.1:1/ports.yml"}, "cannot read"},
		"missing file":               {[]string{"--source", filepath.Join(t.TempDir(), "nope.yml")}, "cannot read"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCmd(t, "", append([]string{"drift", "--config", cfg}, tc.args...)...)
			if code != exitUsage || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "drift NOT checked") {
				t.Errorf("want exit 2, %q and \"drift NOT checked\" on stderr; got %d\nstdout:\n%s\nstderr:\n%s", tc.want, code, out, errs)
			}
			if strings.Contains(out, "no changes") {
				t.Errorf("an unreadable source reported as no drift:\n%s", out)
			}
		})
	}
}

// TestDriftInvalidSource: a current document that does not parse is an
// invalid document, exit 1 as on every command, and both streams say that
// drift was NOT checked (the report is what the nightly job files).
func TestDriftInvalidSource(t *testing.T) {
	_, cfg := driftRepo(t, driftBase)
	bad := writeTemp(t, "groups: [\n")
	for _, format := range []string{"text", "markdown", "json"} {
		code, out, errs := runCmd(t, "", "drift", "--config", cfg, bad, "--format", format)
		if code != exitInvalid || !strings.Contains(errs, "is not a valid document") || !strings.Contains(errs, "drift NOT checked") ||
			!strings.Contains(out, "drift NOT checked") || strings.Contains(out, "no changes") {
			t.Errorf("%s: want exit 1 and \"drift NOT checked\" on both streams; got %d\nstdout:\n%s\nstderr:\n%s", format, code, out, errs)
		}
	}
}

func TestDriftBadSetup(t *testing.T) {
	dir, cfg := driftRepo(t, driftBase)
	notGenerated := writeTemp(t, "package ports_test\n")
	badAck := filepath.Join(dir, "bad-ack.yaml")
	os.WriteFile(badAck, []byte("acknowledged:\n  - kee: x\n"), 0o644)
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no snapshot":       {[]string{"--config", cfg, "--snapshot", filepath.Join(dir, "none.go")}, "no model snapshot"},
		"hand-written file": {[]string{"--config", cfg, "--snapshot", notGenerated}, "not generated by portspec"},
		"bad acknowledge":   {[]string{"--config", cfg, "--acknowledge", badAck}, "bad-ack.yaml"},
		"missing config":    {[]string{"--config", filepath.Join(dir, "nope.yaml")}, "nope.yaml"},
		"bad format":        {[]string{"--config", cfg, "--format", "html"}, "unknown format"},
		"two documents":     {[]string{"--config", cfg, "x.yml", "y.yml"}, "one document at most"},
		"document twice":    {[]string{"--config", cfg, "x.yml", "--source", "y.yml"}, "given twice"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errs := runCmd(t, "", append([]string{"drift"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(errs, tc.want) {
				t.Errorf("want exit 2 and %q; got %d\n%s", tc.want, code, errs)
			}
		})
	}
}

// TestDriftRepoDefault runs drift with this repository's own set-up (no
// flags from the repository root): the snapshot generated/ports/drift_test.go
// against the embedded default it was generated from.
func TestDriftRepoDefault(t *testing.T) {
	root := filepath.Join("..", "..")
	snap := filepath.Join(root, config.DefaultOut, golang.DefaultDir, drifttest.FileName)
	if _, err := os.Stat(snap); err != nil {
		t.Fatalf("%s missing: run go generate ./... (%v)", snap, err)
	}
	cfg := filepath.Join(root, config.ConfigFile)
	args := []string{"drift", "--snapshot", snap}
	if _, err := os.Stat(cfg); err == nil {
		args = append(args, "--config", cfg)
	}
	code, out, errs := runCmd(t, "", args...)
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Errorf("the repository's generated/ against its own document: want no drift, got %d\n%s\n%s", code, out, errs)
	}
}

// snapshotOf is the drift_test.go the drifttest target generates from doc
// into the Go target's default folder.
func snapshotOf(t *testing.T, doc *spec.Document) []byte {
	t.Helper()
	out, err := drifttest.New().Generate(gen.Request{Doc: doc, Dir: golang.DefaultDir})
	if err != nil {
		t.Fatal(err)
	}
	return out.Files[0].Data
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "doc.yml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDriftRepoSameStateForms: this repository's snapshot (the embedded
// default, the page of 2024-08-23 … 2024-11-22 over data 2024-07-26) shows
// no drift against the same state in every other form, and drift against
// the version before it.
func TestDriftRepoSameStateForms(t *testing.T) {
	snap := filepath.Join("..", "..", config.DefaultOut, golang.DefaultDir, drifttest.FileName)
	same := []string{
		"data/2024-07-26_b79ea808ba.yml",
		"seed/000_9b596b334cd8af9c.txt",
		"rendered/en/2024-07-26_b79ea808ba.md",
		"rendered/en/2024-08-23_224965580d.md",
		"rendered/en/2024-11-22_02d00dc14e.md",
		"rendered/ru/2024-10-17_5d75763f41.md",
	}
	for _, rel := range same {
		code, out, errs := runCmd(t, "", "drift", "--snapshot", snap, "--source", upstream.Path(t, rel), "--strict")
		if code != exitOK || !strings.Contains(out, "no changes") {
			t.Errorf("%s: want no drift, got exit %d\n%s\n%s", rel, code, out, errs)
		}
	}
	code, out, _ := runCmd(t, "", "drift", "--snapshot", snap, "--source", upstream.Path(t, "data/2024-07-25_2370e3b03c.yml"), "--format", "json")
	r := decodeReport(t, out)
	if code != exitInvalid || len(r.Changes) != 1 || !r.moves()["MastersToNodes 4227 TCP -> MastersToNodes 9680"] {
		t.Errorf("against 2024-07-25: want exit 1 and the move 4227 → 9680, got %d %+v", code, r.Changes)
	}
}

// TestDriftUpstreamPairs: for every consecutive pair of main-branch data
// versions, a snapshot generated from the older one drifts (exit 1) against
// the newer one, and not against itself.
func TestDriftUpstreamPairs(t *testing.T) {
	versions := []string{"2024-04-17_04a7419db2", "2024-05-27_a5cbfde9e4", "2024-06-01_28d10e1297",
		"2024-07-02_5408b90b2f", "2024-07-10_ae202cad67", "2024-07-25_2370e3b03c", "2024-07-26_b79ea808ba"}
	for i := 1; i < len(versions); i++ {
		oldPath := upstream.Path(t, "data/"+versions[i-1]+".yml")
		doc, err := parser.Load(context.Background(), oldPath, parser.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		snap := filepath.Join(t.TempDir(), drifttest.FileName)
		if err := os.WriteFile(snap, snapshotOf(t, doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := runCmd(t, "", "drift", "--snapshot", snap, "--source", oldPath); code != exitOK {
			t.Errorf("%s against itself: exit %d\n%s%s", versions[i-1], code, out, errs)
		}
		code, rep, errs := runCmd(t, "", "drift", "--snapshot", snap, "--source", upstream.Path(t, "data/"+versions[i]+".yml"), "--format", "json")
		if r := decodeReport(t, rep); code != exitInvalid || r.Summary.Drift == 0 {
			t.Errorf("%s → %s: want drift (exit 1), got %d, %+v\n%s", versions[i-1], versions[i], code, r.Summary, errs)
		}
	}
}
