package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const pageFilter = "../../.github/doc-drift/flatten-cells.lua"

// pandocToGFM converts HTML to GitHub markdown exactly as the doc-drift
// workflow does.
func pandocToGFM(t *testing.T, pandoc, html string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "page.md")
	cmd := exec.Command(pandoc, "--from", "html", "--to", "gfm", "--wrap", "none", "--lua-filter", pageFilter, html, "-o", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pandoc: %v\n%s", err, b)
	}
	return out
}

func findPandoc(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("pandoc")
	if err != nil {
		upstream.Missing(t, "pandoc (scripts/deps.sh installs it): the doc-drift workflow converts the site's HTML with it")
	}
	return p
}

// TestDriftWorkflowPage: the workflow's page conversion (site HTML → pandoc
// with the filter → GitHub markdown) gives portspec the same document. The
// HTML here is made by pandoc from each main-branch rendered page, then
// compared with the data file behind it; and a page of our own making with
// paragraphs and lists in cells still yields pipe tables.
func TestDriftWorkflowPage(t *testing.T) {
	wf, err := os.ReadFile(driftWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(wf), "--lua-filter .github/doc-drift/flatten-cells.lua") {
		t.Fatal("the workflow no longer converts the page with the filter this test checks")
	}
	pandoc := findPandoc(t)

	doc := func(path string) *spec.Document {
		d, err := parser.Load(context.Background(), path, parser.LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return d
	}
	for _, v := range []string{"2024-04-17_04a7419db2", "2024-07-02_5408b90b2f", "2024-07-26_b79ea808ba"} {
		html := filepath.Join(t.TempDir(), v+".html")
		cmd := exec.Command(pandoc, "--from", "gfm", "--to", "html", "--standalone", "--metadata", "title=x",
			upstream.Path(t, "rendered/en/"+v+".md"), "-o", html)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pandoc to html: %v\n%s", err, b)
		}
		md := pandocToGFM(t, pandoc, html)
		if d := compare.Documents(doc(md), doc(upstream.Path(t, "data/"+v+".yml"))); !d.Empty() || len(d.Languages) == 0 {
			var b strings.Builder
			d.WriteText(&b, compare.ByGroup)
			t.Errorf("%s: the converted page differs from its data:\n%s", v, b.String())
		}
	}

	md := pandocToGFM(t, pandoc, "testdata/page-paragraph-cells.html")
	d := doc(md)
	if got := d.RuleCount(); got != 4 {
		b, _ := os.ReadFile(md)
		t.Fatalf("paragraph cells: want 4 rules, got %d from:\n%s", got, b)
	}
	g := d.Group("NodesToNodes")
	if g == nil || g.Rules[1].Ports[0] != (spec.PortRange{First: 4295, Last: 4297}) ||
		g.Rules[0].Purpose("en") != "oom-kills-exporter metrics Used by monitoring." {
		t.Errorf("paragraph cells: got %+v", g)
	}
}
