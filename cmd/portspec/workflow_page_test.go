package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"gopkg.in/yaml.v3"
)

// TestDriftWorkflowPage: the nightly workflow reads the site's page as it
// is, with no converter: its drift step names the page's URL as the
// document, and nothing installs or runs pandoc. The page is read the way
// that step reads it: fetched over https (here from a local server whose
// self-signed certificate the client trusts) and parsed as HTML. The HTML
// is what goldmark renders from each main-branch rendered page, compared
// with the data file behind it; and a page of our own making with
// paragraphs and lists in cells still gives every row.
func TestDriftWorkflowPage(t *testing.T) {
	src, err := os.ReadFile(driftWorkflow)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(src, []byte("pandoc")) || bytes.Contains(src, []byte("lua-filter")) {
		t.Error("the workflow still converts the page: portspec reads the site's HTML itself")
	}
	var wf workflow
	if err := yaml.Unmarshal(src, &wf); err != nil {
		t.Fatal(err)
	}
	// The page reaches portspec as it is: the action is handed the site's
	// URL (which it passes to portspec drift), never a converted copy.
	direct := false
	for _, job := range wf.Jobs {
		for _, st := range job.Steps {
			if st.Uses == "./" && strings.Contains(st.With["source"], "${{ env.PAGE_URL }}") {
				direct = true
			}
		}
	}
	if !direct {
		t.Error("no step hands the action the page's URL ($PAGE_URL) as a source")
	}
	if _, err := os.Stat("../../.github/doc-drift/flatten-cells.lua"); err == nil {
		t.Error(".github/doc-drift/flatten-cells.lua is back: nothing uses it")
	}

	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	pages := map[string][]byte{}
	for _, v := range []string{"2024-04-17_04a7419db2", "2024-07-02_5408b90b2f", "2024-07-26_b79ea808ba"} {
		b, err := os.ReadFile(upstream.Path(t, "rendered/en/"+v+".md"))
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		if err := md.Convert(b, &body); err != nil {
			t.Fatal(err)
		}
		pages["/"+v+"/reference/network_interaction.html"] = []byte("<!DOCTYPE html>\n<html><head><title>Network interaction</title></head><body><main>\n" + body.String() + "</main></body></html>\n")
	}
	cells, err := os.ReadFile("testdata/page-paragraph-cells.html")
	if err != nil {
		t.Fatal(err)
	}
	pages["/cells.html"] = cells
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	}))
	defer srv.Close()
	opts := parser.LoadOptions{HTTPClient: srv.Client()}
	load := func(source string) *spec.Document {
		t.Helper()
		d, err := parser.Load(context.Background(), source, opts)
		if err != nil {
			t.Fatalf("%s: %v", source, err)
		}
		return d
	}
	for _, v := range []string{"2024-04-17_04a7419db2", "2024-07-02_5408b90b2f", "2024-07-26_b79ea808ba"} {
		page := load(srv.URL + "/" + v + "/reference/network_interaction.html")
		if page.Kind != "html" {
			t.Errorf("%s: read as %s", v, page.Kind)
		}
		if d := compare.Documents(page, load(upstream.Path(t, "data/"+v+".yml"))); !d.Empty() || len(d.Languages) == 0 {
			var b strings.Builder
			d.WriteText(&b, compare.ByGroup)
			t.Errorf("%s: the page differs from its data:\n%s", v, b.String())
		}
	}

	d := load(srv.URL + "/cells.html")
	if got := d.RuleCount(); got != 4 {
		t.Fatalf("paragraph cells: want 4 rules, got %d", got)
	}
	g := d.Group("NodesToNodes")
	if g == nil || g.Rules[1].Ports[0] != (spec.PortRange{First: 4295, Last: 4297}) ||
		g.Rules[0].Purpose("en") != "oom-kills-exporter metrics Used by monitoring." ||
		g.Rules[1].Purpose("en") != "VXLAN for nested virtualization: first cluster second cluster" {
		t.Errorf("paragraph cells: got %+v", g)
	}
}
