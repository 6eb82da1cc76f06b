package drifttest

import (
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/overlay"
	"github.com/portspec/portspec/spec"
)

// TestGeneratedDriftTestOverlay: a package generated with the site's
// overlay keeps the upstream document, so its drift test passes on the
// unchanged upstream; it fails when an overlay entry no longer matches the
// current document, naming the entry; and it does not compare a current
// document that looks cut short unless told to.
func TestGeneratedDriftTestOverlay(t *testing.T) {
	m := newDownstream(t)
	doc := parseDefault(t, spec.Default())
	k, err := overlay.ParseKey("NodesToNodes/TCP/7000-7999")
	if err != nil {
		t.Fatal(err)
	}
	ov := &overlay.Overlay{Remove: []overlay.Remove{{Key: &k, Reason: "no DRBD here", Pos: token.Position{Filename: "portspec.yaml", Line: 5, Column: 7}}}}
	site, err := ov.Apply(doc)
	if err != nil {
		t.Fatal(err)
	}
	bin := m.pkgOf("ports", gen.Request{Doc: site, Upstream: doc, Overlay: ov, Dir: "ports"})

	if ok, out := m.runBin(bin, "ports"); !ok {
		t.Errorf("unchanged upstream with an overlay: want PASS, got:\n%s", out)
	}

	write := func(name, s string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := string(spec.Default())
	i := strings.Index(text, "7000-7999 | TCP |")
	if i < 0 {
		t.Fatal("the default document has no DRBD row")
	}
	j := i + strings.IndexByte(text[i:], '\n') + 1
	noDRBD := write("no-drbd.md", text[:i]+text[j:])
	ok, out := m.runBin(bin, "ports", EnvSource+"="+noDRBD)
	if ok || !strings.Contains(out, "the site's overlay no longer matches the current document") || !strings.Contains(out, "portspec.yaml:5:7: remove NodesToNodes/TCP/7000-7999 matches nothing") {
		t.Errorf("stale overlay entry: want FAIL naming the entry, got ok=%v:\n%s", ok, out)
	}

	cut := strings.Index(text, "Nodes to masters traffic")
	if cut < 0 {
		t.Fatal("the default document has no third group")
	}
	partial := write("partial.md", text[:cut])
	ok, out = m.runBin(bin, "ports", EnvSource+"="+partial)
	if ok || !strings.Contains(out, "drift NOT checked: the current document looks cut short") {
		t.Errorf("partial document: want FAIL, not compared, got ok=%v:\n%s", ok, out)
	}
	ok, out = m.runBin(bin, "ports", EnvSource+"="+partial, EnvAllowPartial+"=1")
	if ok || strings.Contains(out, "drift NOT checked") || !strings.Contains(out, "group NodesToMasters removed") || !strings.Contains(out, "WARNING: looks cut short: new: ") {
		t.Errorf("partial document allowed: want FAIL with the removals, got ok=%v:\n%s", ok, out)
	}
}
