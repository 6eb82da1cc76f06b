package parser_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
)

// The forms users hold the page in, made from every rendered page version
// (the markdown kramdown read for the site): the HTML of goldmark's
// renderer and of kramdown (the site's own, opt-in), a browser's copy of
// that HTML (tab-separated) and a space-aligned text rendering of it. Each
// must open exactly the flows of the data file behind the page, with its
// headings and purposes.

// renderedPages returns every rendered page: language, version name and
// path.
func renderedPages(t *testing.T) [][3]string {
	var out [][3]string
	for _, lang := range []string{"en", "ru"} {
		for _, path := range upstream.Glob(t, "rendered/"+lang+"/*.md") {
			out = append(out, [3]string{lang, strings.TrimSuffix(filepath.Base(path), ".md"), path})
		}
	}
	return out
}

// dataOf is the data document behind a rendered version.
func dataOf(t *testing.T, version string) *spec.Document {
	t.Helper()
	if b, ok := dataOfPage[version]; ok {
		version = b
	}
	return mustParse(t, upstream.Path(t, "data/"+version+".yml"))
}

// page wraps rendered HTML in a page as the site serves one: a head with
// a script and a style, navigation before the content.
func page(body []byte) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Network interaction | Port Protocol Purpose</title>\n<style>td { padding: 0 }</style><script>var h2 = '<h2>x</h2>';</script></head>\n<body>\n<nav><ul><li><a href=\"/\">Documentation</a></li></ul></nav>\n<main>\n<h1 id=\"title\">Network interaction</h1>\n")
	b.Write(body)
	b.WriteString("\n</main>\n<footer><p>© Flant</p></footer>\n</body>\n</html>\n")
	return b.Bytes()
}

// checkForm parses src and compares it with the data behind the page.
func checkForm(t *testing.T, name string, src []byte, lang string, data *spec.Document, wantKind string, norm func(string) string) {
	t.Helper()
	doc, err := parser.Parse(name, src, parser.Options{})
	if err != nil {
		t.Fatalf("%s: %v\n%s", name, err, head(src))
	}
	if doc.Kind != wantKind {
		t.Errorf("%s: detected as %s, want %s", name, doc.Kind, wantKind)
	}
	if diff := cmp.Diff(data.Flows(), doc.Flows()); diff != "" {
		t.Errorf("%s: flows differ from the data (-want +got):\n%s", name, diff)
	}
	if len(doc.Partial) != 0 {
		t.Errorf("%s: a whole page is marked partial: %v", name, doc.Partial)
	}
	for _, w := range doc.Warnings {
		if !strings.Contains(w.Msg, " overlaps ") {
			t.Errorf("%s: unexpected warning %s", name, w)
		}
	}
	type row struct{ Title, Ports, Protocol, Text string }
	collect := func(d *spec.Document, n func(string) string) []row {
		var rows []row
		for _, g := range d.Groups {
			for _, r := range g.Rules {
				rows = append(rows, row{n(g.Titles[lang]), spec.FormatPorts(r.Ports), r.Protocol.String(), n(r.Purposes.In(lang).Text)})
			}
		}
		return rows
	}
	if diff := cmp.Diff(collect(data, func(s string) string { return s }), collect(doc, norm)); diff != "" {
		t.Errorf("%s: titles and purposes differ from the data (-want +got):\n%s", name, diff)
	}
}

// checkForms checks the forms made from one page's rendered HTML body:
// the body wrapped in a page, the bare body named fragment, the browser
// copy of the page and its space-aligned text with purposes wrapped at
// width.
func checkForms(t *testing.T, version, fragment string, body []byte, lang string, data *spec.Document, norm func(string) string, width int) {
	t.Helper()
	checkForm(t, version+".page", page(body), lang, data, "html", norm)
	checkForm(t, fragment, body, lang, data, "html", norm)
	tsv := browserCopy(t, page(body))
	checkForm(t, version+".tsv", tsv, lang, data, "text", norm)
	checkForm(t, version+".txt", aligned(tsv, width), lang, data, "text", norm)
}

func head(b []byte) string { return string(b[:min(len(b), 600)]) }

func same(s string) string { return s }

// TestGoldmarkHTMLPages: the HTML goldmark renders from each page, as a
// whole page (detected by its start) and as a bare fragment named .html,
// and the browser copy and the space-aligned text of it.
func TestGoldmarkHTMLPages(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.GFM))
	for _, p := range renderedPages(t) {
		lang, version, path := p[0], p[1], p[2]
		t.Run(lang+"/"+version, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			if err := md.Convert(src, &body); err != nil {
				t.Fatal(err)
			}
			checkForms(t, version, version+".html", body.Bytes(), lang, dataOf(t, version), same, 50)
		})
	}
}

// kramdown converts markdown to HTML as the documentation site does (its
// GFM input), with the kramdown command or, as Debian packages it without
// one, through ruby and the library.
func kramdown(t *testing.T, md []byte) []byte {
	t.Helper()
	var cmd *exec.Cmd
	if p, err := exec.LookPath("kramdown"); err == nil {
		cmd = exec.Command(p, "--input", "GFM")
	} else {
		cmd = exec.Command("ruby", "-rkramdown", "-rkramdown-parser-gfm", "-e", `print Kramdown::Document.new($stdin.read, input: "GFM").to_html`)
	}
	cmd.Stdin = bytes.NewReader(md)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kramdown: %v\n%s", err, stderr.String())
	}
	return out
}

const kramdownHint = "scripts/deps.sh installs it (apt-get install ruby-kramdown ruby-kramdown-parser-gfm)"

func requireKramdown(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("kramdown"); err == nil {
		gentest.RequireOptIn(t, kramdownHint)
		return
	}
	gentest.RequireOptIn(t, kramdownHint, "ruby")
	if out, err := exec.Command("ruby", "-rkramdown", "-rkramdown-parser-gfm", "-e", "").CombinedOutput(); err != nil {
		upstream.Missing(t, "kramdown with its GFM parser for ruby: "+kramdownHint+": "+strings.TrimSpace(string(out)))
	}
}

// TestKramdownHTMLPages: the HTML kramdown (the site's renderer) makes
// from each page, and its browser copy. kramdown's typographic quotes
// (node's → node’s) are undone before the purposes are compared.
func TestKramdownHTMLPages(t *testing.T) {
	requireKramdown(t)
	unsmart := strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "–", "--", "—", "---", "…", "...").Replace
	for _, p := range renderedPages(t) {
		lang, version, path := p[0], p[1], p[2]
		t.Run(lang+"/"+version, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			// The fragment as standard input, found to be HTML by its
			// content (<p>…<h2>…<table>) alone.
			checkForms(t, version, "-", kramdown(t, src), lang, dataOf(t, version), unsmart, 40)
		})
	}
}

// browserCopy is what a browser puts on the clipboard when the whole page
// is selected and copied as text (the innerText algorithm): block elements
// on lines of their own (paragraphs apart by a blank line), a table's cells
// separated by tabs and its rows by line ends, white space collapsed, the
// head and scripts left out.
func browserCopy(t *testing.T, src []byte) []byte {
	t.Helper()
	root, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	c := &copier{}
	c.node(root)
	return []byte(c.b.String() + "\n")
}

type copier struct {
	b      strings.Builder
	breaks int  // required line breaks pending
	space  bool // a space pending
}

func (c *copier) require(n int) { c.breaks = max(c.breaks, n) }

func (c *copier) emit(s string) {
	if c.b.Len() > 0 {
		if c.breaks > 0 {
			c.b.WriteString(strings.Repeat("\n", c.breaks))
		} else if c.space {
			c.b.WriteByte(' ')
		}
	}
	c.breaks, c.space = 0, false
	c.b.WriteString(s)
}

func (c *copier) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		words := strings.Fields(n.Data)
		if len(words) == 0 {
			c.space = c.space || n.Data != ""
			return
		}
		if strings.TrimLeft(n.Data, " \t\n\r") != n.Data {
			c.space = true
		}
		c.emit(strings.Join(words, " "))
		c.space = strings.TrimRight(n.Data, " \t\n\r") != n.Data
		return
	case html.ElementNode:
		switch n.Data {
		case "head", "script", "style":
			return
		case "br":
			c.require(1)
			return
		case "td", "th":
			if prevElement(n) != nil {
				// A tab after the cell before: a row's cells are one line.
				c.breaks, c.space = 0, false
				c.b.WriteByte('\t')
			} else {
				c.emit("") // the row starts on a line of its own, an empty first cell too
			}
			c.children(n)
			c.space = false
			if c.breaks > 0 && nextElement(n) == nil {
				c.breaks = 0
			}
			return
		case "tr":
			c.require(1)
			c.children(n)
			c.require(1)
			return
		case "p", "h1", "h2", "h3", "h4", "h5", "h6":
			c.require(2)
			c.children(n)
			c.require(2)
			return
		case "div", "li", "ul", "ol", "table", "main", "nav", "footer", "body", "html", "thead", "tbody":
			c.require(1)
			c.children(n)
			c.require(1)
			return
		}
	}
	c.children(n)
}

func (c *copier) children(n *html.Node) {
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		c.node(k)
	}
}

func prevElement(n *html.Node) *html.Node {
	for p := n.PrevSibling; p != nil; p = p.PrevSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}

func nextElement(n *html.Node) *html.Node {
	for p := n.NextSibling; p != nil; p = p.NextSibling {
		if p.Type == html.ElementNode {
			return p
		}
	}
	return nil
}

// aligned renders a browser copy as space-aligned text, as a terminal
// browser prints a table: each table's columns padded to their widest
// cell, two spaces apart, a purpose wrapped at width characters with its
// further lines under the purpose column.
func aligned(tsv []byte, width int) []byte {
	lines := strings.Split(string(tsv), "\n")
	var out strings.Builder
	for i := 0; i < len(lines); {
		if !strings.Contains(lines[i], "\t") {
			out.WriteString(lines[i] + "\n")
			i++
			continue
		}
		// A table: its tabbed lines (the pages' cells are one line each).
		var rows [][]string
		for ; i < len(lines) && strings.Contains(lines[i], "\t"); i++ {
			rows = append(rows, strings.Split(lines[i], "\t"))
		}
		w := make([]int, 3)
		for _, r := range rows {
			for j := 0; j < 2 && j < len(r); j++ {
				w[j] = max(w[j], utf8.RuneCountInString(r[j]))
			}
		}
		for _, r := range rows {
			pad := func(s string, n int) string { return s + strings.Repeat(" ", n-utf8.RuneCountInString(s)) }
			prefix := "  " + pad(r[0], w[0]) + "  " + pad(r[1], w[1]) + "  "
			words := strings.Fields(r[2])
			line := ""
			first := true
			for _, word := range words {
				if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
					if first {
						out.WriteString(prefix + line + "\n")
						first = false
					} else {
						out.WriteString(strings.Repeat(" ", utf8.RuneCountInString(prefix)) + line + "\n")
					}
					line = ""
				}
				if line != "" {
					line += " "
				}
				line += word
			}
			if first {
				out.WriteString(strings.TrimRight(prefix+line, " ") + "\n")
			} else {
				out.WriteString(strings.Repeat(" ", utf8.RuneCountInString(prefix)) + line + "\n")
			}
		}
		out.WriteString("\n")
	}
	return []byte(out.String())
}
