package driver

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/targets"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/golden"
	"golang.org/x/tools/txtar"
)

// overlayConfig is one entry of each kind: a module the site does not run
// (DRBD), the ingress inlet on other ports, and LDAPS to the directory.
const overlayConfig = `
overlay:
  remove:
    - key: NodesToNodes/TCP/7000-7999
      reason: sds-replicated-volume is not enabled
  replace:
    - key: ExternalToFrontends/TCP/80,443
      ports: ["8080", "8443"]
      reason: the IngressNginxController inlet listens on 8080 and 8443
  add:
    - from: node
      to: external
      protocol: TCP
      ports: ["636"]
      purpose: LDAPS to the corporate directory
      reason: Dex authenticates users against LDAP
`

// TestOverlayChangesEveryTarget generates the embedded default with the
// repository's portspec.yaml, then with an overlay of one entry of each
// kind added to it, and keeps the difference of every file, per target,
// in testdata/overlay.txtar (run with -update to rewrite it): the removed
// row goes from every output, the replaced ports take the row's place, the
// added row appears, each marked as the site's with its config position;
// the drift test's snapshot stays the upstream document and gains only the
// overlay it checks.
func TestOverlayChangesEveryTarget(t *testing.T) {
	base, err := os.ReadFile(filepath.Join("..", "..", config.ConfigFile))
	if err != nil {
		t.Fatal(err)
	}
	doc := gentest.Default(t)
	plan := func(text string) *Plan {
		t.Helper()
		cfg, err := config.ParseConfig(config.ConfigFile, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := cfg.Jobs(targets.All())
		if err != nil {
			t.Fatal(err)
		}
		table, err := cfg.ClientTable()
		if err != nil {
			t.Fatal(err)
		}
		ov, err := cfg.SiteOverlay()
		if err != nil {
			t.Fatal(err)
		}
		p, err := Run(doc, jobs, Inputs{Idents: cfg.Idents, Clients: table, Overlay: ov})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	without, with := plan(string(base)), plan(string(base)+overlayConfig)
	var names []string
	for name := range with.Files {
		names = append(names, name)
	}
	for name := range without.Files {
		if _, ok := with.Files[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var files []txtar.File
	changed := map[string]bool{}
	for _, name := range names {
		if bytes.Equal(without.Files[name], with.Files[name]) {
			continue
		}
		d := fullDiff(without.Files[name], with.Files[name])
		changed[strings.SplitN(name, "/", 2)[0]] = true
		files = append(files, txtar.File{Name: name + ".diff", Data: []byte(d)})
	}
	for _, dir := range []string{"ports", "cilium", "ansible", "nftables"} {
		if !changed[dir] {
			t.Errorf("the overlay changes nothing under %s/", dir)
		}
	}
	golden.Check(t, filepath.Join("testdata", "overlay.txtar"), "The difference the overlay below makes to every generated file (portspec.yaml of the\nrepository, the embedded default document).\n"+overlayConfig, files)
}

// fullDiff is unifiedDiff's hunks without its length limit.
func fullDiff(old, new []byte) string {
	ops := lineDiff(splitLines(old), splitLines(new))
	var sb strings.Builder
	for _, h := range hunks(ops, diffContext) {
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(h.aStart, h.aLen), hunkRange(h.bStart, h.bLen))
		for _, o := range ops[h.first:h.last] {
			sb.WriteString(string(o.kind) + o.text + "\n")
		}
	}
	return sb.String()
}
