package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// runWith runs a command in process with an http client (one that trusts
// a test's own https server).
func runWith(t *testing.T, client *http.Client, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb, client: client})
	return code, out.String(), errb.String()
}

// mirror is a local https server (a self-signed certificate its client
// trusts) holding files under the paths given.
func mirror(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func readUpstream(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(upstream.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestChangesBetweenVersions: `portspec changes deckhouse@OLD deckhouse@NEW`
// is the upgrade question in one line; the versions come from the bases
// the flags name (here a local mirror of two real data versions), and the
// site's HTML page of a version compares with the data of another.
func TestChangesBetweenVersions(t *testing.T) {
	const data = "/docs/documentation/_data/deckhouse-ports.yml"
	srv := mirror(t, map[string][]byte{
		"/raw/v1.67.0" + data: readUpstream(t, "data/2024-07-10_ae202cad67.yml"),
		"/raw/v1.68.0" + data: readUpstream(t, "data/2024-07-25_2370e3b03c.yml"),
		"/site/v1.68/reference/network_interaction.html": []byte("<h2>Nodes to masters traffic</h2><table><thead><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr></thead><tbody>" +
			"<tr><td>4234</td><td>UDP</td><td>NTP for time synchronization between nodes</td></tr></tbody></table>"),
	})
	code, out, errs := runWith(t, srv.Client(), "changes", "--deckhouse-url", srv.URL+"/raw", "deckhouse@v1.67.0", "deckhouse@v1.68.0")
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"old: deckhouse@v1.67.0", "new: deckhouse@v1.68.0", "moved", "4234/UDP"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// The page of v1.68 holds one group only, from the middle of the page:
	// not cut short, just a part.
	code, out, errs = runWith(t, srv.Client(), "changes", "--deckhouse-url", srv.URL+"/raw", "--site-url", srv.URL+"/site", "deckhouse@v1.68.0", "deckhouse-site@v1.68")
	if code != exitOK || !strings.Contains(out, "new: deckhouse-site@v1.68") || strings.Contains(out, "cut short") {
		t.Errorf("data against the site's page: exit %d\n%s\n%s", code, out, errs)
	}
	// A version the mirror does not have cannot be read: exit 2.
	if code, _, errs := runWith(t, srv.Client(), "changes", "--deckhouse-url", srv.URL+"/raw", "deckhouse@v1.67.0", "deckhouse@v9.9.9"); code != exitUsage || !strings.Contains(errs, "404") {
		t.Errorf("missing version: exit %d\n%s", code, errs)
	}
	// The config's sources are used when no flag names a base.
	dir := t.TempDir()
	cfg := filepath.Join(dir, "portspec.yaml")
	os.WriteFile(cfg, []byte("version: 1\nsources:\n  deckhouse: "+srv.URL+"/raw\n"), 0o644)
	if code, out, errs := runWith(t, srv.Client(), "changes", "--config", cfg, "deckhouse@v1.67.0", "deckhouse@v1.68.0"); code != exitOK || !strings.Contains(out, "moved") {
		t.Errorf("bases from the config: exit %d\n%s\n%s", code, out, errs)
	}
}

// A data document of the page's first two groups: what a copy cut short
// after the second table holds.
const cutShort = `groups:
- group: MastersToMasters
  description: {en: Master to master nodes traffic}
  destinations:
  - {ports: "2379, 2380", protocol: TCP, description: {en: etcd replication}}
- group: MastersToNodes
  description: {en: Master to nodes traffic}
  destinations:
  - {ports: "10250", protocol: TCP, description: {en: kubelet}}
`

// TestCutShortDocument: drift refuses a current document that looks cut
// short (exit 2, "drift NOT checked", the reasons on stderr) unless
// --allow-partial; changes compares it and says so at the top.
func TestCutShortDocument(t *testing.T) {
	root := filepath.Join("..", "..")
	snap := filepath.Join(root, "generated", "ports", "drift_test.go")
	cut := writeTemp(t, cutShort)
	for _, format := range []string{"text", "markdown", "json"} {
		code, out, errs := runCmd(t, "", "drift", "--snapshot", snap, "--source", cut, "--format", format)
		if code != exitUsage || !strings.Contains(out, "drift NOT checked") || !strings.Contains(errs, "looks cut short") || !strings.Contains(errs, "NodesToMasters, NodesToNodes") {
			t.Errorf("%s: want exit 2 and drift NOT checked; got %d\nstdout:\n%s\nstderr:\n%s", format, code, out, errs)
		}
	}
	code, out, errs := runCmd(t, "", "drift", "--snapshot", snap, "--source", cut, "--allow-partial")
	if code != exitInvalid || !strings.Contains(out, "WARNING: looks cut short: new: ") || !strings.Contains(out, "group-removed NodesToNodes") {
		t.Errorf("--allow-partial: want exit 1 with the warning on top and the removals; got %d\n%s\n%s", code, out, errs)
	}
	if i, j := strings.Index(out, "WARNING"), strings.Index(out, "group-removed"); i < 0 || j < i {
		t.Errorf("the warning is not at the top:\n%s", out)
	}
	code, out, _ = runCmd(t, "", "changes", "", cut)
	if code != exitOK || !strings.Contains(out, "WARNING: looks cut short: new: ") {
		t.Errorf("changes: want the warning at the top, got %d\n%s", code, out)
	}
	_, out, _ = runCmd(t, "", "changes", "", cut, "--format", "json")
	if !strings.Contains(out, `"partial": [`) {
		t.Errorf("changes json: no partial:\n%s", out)
	}
}

// overlayRepo is a repository generated from a data document with an
// overlay of one entry of each kind (only the Go and drift-test targets).
func overlayRepo(t *testing.T, current string) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("current.yml", current)
	write("portspec.yaml", `version: 1
input: current.yml
out: out
targets:
  cilium: {enabled: false}
  kubernetes: {enabled: false}
  ansible: {enabled: false}
  nftables: {enabled: false}
overlay:
  remove:
    - key: NodesToNodes/TCP/4205
      reason: no ebpf-exporter here
  replace:
    - key: NodesToNodes/UDP/123
      ports: ["1123"]
      reason: our NTP relay
  add:
    - group: NodesToNodes
      protocol: TCP
      ports: ["9100"]
      purpose: node-exporter of the site's Prometheus
      reason: the site's monitoring
`)
	cfg = filepath.Join(dir, "portspec.yaml")
	if code, out, errs := runCmd(t, "", "generate", "--config", cfg); code != exitOK {
		t.Fatalf("generate: exit %d\n%s\n%s", code, out, errs)
	}
	return dir, cfg
}

// TestOverlayDrift: the overlay changes what is generated, not what is
// compared: drift on the unchanged upstream document is 0; an upstream
// change that leaves an entry matching nothing fails drift, at the entry.
func TestOverlayDrift(t *testing.T) {
	dir, cfg := overlayRepo(t, driftBase)
	rules, err := os.ReadFile(filepath.Join(dir, "out", "ports", "rules.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Site: "the site's row (`, `Site: "the site's ports, the document has 123 (`, "= 9100", "= 1123"} {
		if !strings.Contains(string(rules), want) {
			t.Errorf("rules.go lacks %q", want)
		}
	}
	if strings.Contains(string(rules), "= 4205") {
		t.Error("rules.go keeps the removed row")
	}
	code, out, errs := runCmd(t, "", "drift", "--config", cfg)
	if code != exitOK || !strings.Contains(out, "no changes") {
		t.Errorf("unchanged upstream with an overlay: want exit 0 and no changes, got %d\n%s\n%s", code, out, errs)
	}
	// Upstream drops 4205: the remove entry no longer matches.
	os.WriteFile(filepath.Join(dir, "current.yml"), []byte(strings.Replace(driftBase, "  - ports: \"4205\"\n    protocol: TCP\n    description:\n      en: ebpf-exporter metrics\n", "", 1)), 0o644)
	code, out, errs = runCmd(t, "", "drift", "--config", cfg)
	if code != exitInvalid || !strings.Contains(out, "OVERLAY NO LONGER MATCHES: "+cfg+":11:7: remove NodesToNodes/TCP/4205 matches nothing") {
		t.Errorf("stale overlay entry: want exit 1 naming the entry, got %d\n%s\n%s", code, out, errs)
	}
	// generate fails at the same entry rather than applying the rest.
	if code, _, errs := runCmd(t, "", "generate", "--config", cfg, "--check"); code != exitInvalid || !strings.Contains(errs, cfg+":11:7: remove NodesToNodes/TCP/4205 matches nothing") {
		t.Errorf("generate with a stale entry: exit %d\n%s", code, errs)
	}
	// changes reports it for NEW.
	if _, out, _ := runCmd(t, "", "changes", "--config", cfg, "", filepath.Join(dir, "current.yml")); !strings.Contains(out, "OVERLAY NO LONGER MATCHES") {
		t.Errorf("changes: no stale entry reported:\n%s", out)
	}
}

// TestParseOverlay: parse --overlay prints the model after the overlay,
// the site's rows marked; without a config it is a usage error.
func TestParseOverlay(t *testing.T) {
	dir, cfg := overlayRepo(t, driftBase)
	doc := filepath.Join(dir, "current.yml")
	code, out, errs := runCmd(t, "", "parse", "--overlay", "--config", cfg, "--format", "table", doc)
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"1123  UDP       NTP between nodes [the site's ports, the document has 123 (", "9100  TCP       node-exporter of the site's Prometheus [the site's row ("} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "4205") {
		t.Errorf("the removed row is printed:\n%s", out)
	}
	_, out, _ = runCmd(t, "", "parse", "--overlay", "--config", cfg, doc)
	if !strings.Contains(out, `"site":{"action":"add","pos":"`+cfg+`:18:7","reason":"the site's monitoring"}`) {
		t.Errorf("json lacks the site mark:\n%s", out)
	}
	// Without --overlay the document is as upstream has it.
	if _, out, _ := runCmd(t, "", "parse", "--config", cfg, "--format", "table", doc); !strings.Contains(out, "4205") || strings.Contains(out, "9100") {
		t.Errorf("without --overlay:\n%s", out)
	}
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(t.TempDir())
	if code, _, errs := runCmd(t, "", "parse", "--overlay", doc); code != exitUsage || !strings.Contains(errs, "no portspec.yaml") {
		t.Errorf("--overlay without a config: exit %d\n%s", code, errs)
	}
}

// TestParseForms: the CLI reads the site's HTML and a browser's copy,
// detected or named with --kind.
func TestParseForms(t *testing.T) {
	named := func(name, s string) string {
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, []byte(s), 0o644)
		return p
	}
	html := named("page.html", "<!DOCTYPE html><h2>Traffic between nodes</h2><table><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr><tr><td>—</td><td>ICMP</td><td>ping</td></tr></table>")
	saved := named("page.yml", "<!DOCTYPE html><h2>Traffic between nodes</h2><table><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr><tr><td>—</td><td>ICMP</td><td>ping</td></tr></table>")
	tsv := named("copy.txt", "Traffic between nodes\nPort\tProtocol\tPurpose\n—\tICMP\tping\n")
	for _, args := range [][]string{{html}, {saved}, {"--kind", "html", html}, {tsv}, {"--kind", "text", tsv}} {
		code, out, errs := runCmd(t, "", append([]string{"parse", "--format", "table"}, args...)...)
		if code != exitOK || !strings.Contains(out, "-     ICMP      ping") {
			t.Errorf("%v: exit %d\n%s\n%s", args, code, out, errs)
		}
	}
}
