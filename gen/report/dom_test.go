package report

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"

	"github.com/portspec/portspec/spec"
)

// The page read back as a browser's DOM: the matrix's cells must hold the
// model's flows, computed here from the document itself (spec.Flows), not
// by the report's own matrix code. The same checks run on the bytes
// written (here) and on what headless Chromium makes of them
// (system_test.go).

func parseHTML(t testing.TB, data []byte) *html.Node {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

// textOf is the text of a node and its descendants, as a reader sees it
// with both languages shown.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

// domCells returns the matrix's cells: "from>to" → its flows as
// "PROTOCOL first last | ports text", and the text of each flow's item.
func domCells(root *html.Node) (cells map[string][]string, items map[string]string) {
	cells, items = map[string][]string{}, map[string]string{}
	walk(root, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "td" {
			return
		}
		from, ok1 := attr(n, "data-from")
		to, ok2 := attr(n, "data-to")
		if !ok1 || !ok2 {
			return
		}
		k := from + ">" + to
		cells[k] = []string{}
		walk(n, func(li *html.Node) {
			if li.Type != html.ElementNode || li.Data != "li" {
				return
			}
			proto, _ := attr(li, "data-protocol")
			first, _ := attr(li, "data-first")
			last, _ := attr(li, "data-last")
			shown := ""
			walk(li, func(s *html.Node) {
				if s.Type == html.ElementNode && hasClass(s, "ports") {
					shown = textOf(s)
				}
			})
			item := fmt.Sprintf("%s %s %s | %s", proto, first, last, shown)
			cells[k] = append(cells[k], item)
			items[k+" "+item] = textOf(li)
		})
		sort.Strings(cells[k])
	})
	return cells, items
}

// wantCells is the matrix the model's flows make: every pair of known
// roles, and each flow once per pair as "PROTOCOL first last | text".
func wantCells(doc *spec.Document) map[string][]string {
	want := map[string][]string{}
	for _, from := range spec.Roles() {
		for _, to := range spec.Roles() {
			want[from.String()+">"+to.String()] = []string{}
		}
	}
	for _, f := range doc.Flows() {
		k := f.From.String() + ">" + f.To.String()
		item := fmt.Sprintf("%s %d %d | %s", f.Protocol, f.Ports.First, f.Ports.Last, shownPorts(f.Protocol, f.Ports))
		if !slices.Contains(want[k], item) {
			want[k] = append(want[k], item)
		}
	}
	for k := range want {
		sort.Strings(want[k])
	}
	return want
}

// checkMatrix compares a page's matrix with the model's flows, and (for a
// page that shows English) that each flow's item names the English
// purpose of every rule that states it.
func checkMatrix(t *testing.T, doc *spec.Document, page []byte, english bool) {
	t.Helper()
	root := parseHTML(t, page)
	cells, items := domCells(root)
	if d := cmp.Diff(wantCells(doc), cells); d != "" {
		t.Errorf("matrix cells vs the model's flows (-model +page):\n%s", d)
	}
	if !english {
		return
	}
	for _, m := range modelRows(doc) {
		key := fmt.Sprintf("%s>%s %s %d %d | %s", m.g.From, m.g.To, m.r.Protocol, m.p.First, m.p.Last, shownPorts(m.r.Protocol, m.p))
		if want := m.r.Purposes.In("en").Text; !strings.Contains(items[key], want) {
			t.Errorf("matrix item %s is %q: lacks the purpose %q", key, items[key], want)
		}
	}
}

func TestMatrixCellsEqualFlows(t *testing.T) {
	for name, doc := range map[string]*spec.Document{"default": defaultDoc(t), "newest": newestData(t)} {
		for _, l := range []Lang{English, Russian, Both} {
			t.Run(name+"/"+string(l), func(t *testing.T) {
				checkMatrix(t, doc, render(t, doc, HTML, l), l != Russian)
			})
		}
	}
}

// skeleton is a page's structure without its text: every element with
// its attributes, every comment and doctype as a marker.
func skeleton(root *html.Node) []string {
	var out []string
	walk(root, func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			var attrs []string
			for _, a := range n.Attr {
				attrs = append(attrs, a.Namespace+":"+a.Key+"="+a.Val)
			}
			sort.Strings(attrs)
			out = append(out, "<"+n.Namespace+":"+n.Data+" "+strings.Join(attrs, " ")+">")
		case html.CommentNode:
			out = append(out, "<!---->")
		case html.DoctypeNode:
			out = append(out, "<!DOCTYPE "+n.Data+">")
		}
	})
	return out
}

// TestPageLoadsNothing: the page names nothing to load: no element has a
// src, href (but in-page fragments) or srcset, no script, no link, no
// style attribute, and its policy forbids all of it anyway.
func TestPageLoadsNothing(t *testing.T) {
	for _, l := range []Lang{English, Russian, Both} {
		root := parseHTML(t, render(t, newestData(t), HTML, l))
		policy := ""
		walk(root, func(n *html.Node) {
			if n.Type != html.ElementNode {
				return
			}
			switch n.Data {
			case "script", "link", "iframe", "object", "embed", "img", "base", "form", "image", "use", "foreignObject":
				t.Errorf("%s: the page has a <%s>", l, n.Data)
			case "meta":
				if v, _ := attr(n, "http-equiv"); v == "Content-Security-Policy" {
					policy, _ = attr(n, "content")
				}
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "src", a.Key == "srcset", a.Key == "style", strings.HasPrefix(a.Key, "on"),
					(a.Key == "href" || a.Key == "xlink:href") && !strings.HasPrefix(a.Val, "#"):
					t.Errorf("%s: <%s %s=%q>", l, n.Data, a.Key, a.Val)
				}
			}
		})
		if !strings.HasPrefix(policy, "default-src 'none'; style-src 'sha256-") {
			t.Errorf("%s: policy %q", l, policy)
		}
	}
}
