package report

import (
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/page"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// writeHTML writes the document's page: its source, the diagram, the
// role-by-role matrix, the document's tables and its warnings. The matrix
// cells carry their flows as data attributes (data-from, data-to on the
// cell; data-protocol, data-first, data-last on each flow) for programs
// and tests; people read the same facts as text.
func writeHTML(doc *spec.Document, lang Lang, m matrix) []byte {
	p := page.New(lang)
	p.Grow(htmlSizeHint(doc, lang))
	p.Header(text.Title)
	facts(p, doc)
	p.Raw(`<p class="note">`)
	p.Label(text.Generated)
	p.Raw("</p>\n</header>\n<main>\n")

	p.Section("diagram", text.Diagram, text.DiagramNote)
	p.Raw("<figure>")
	diagram(p, m)
	p.Raw("</figure>\n")
	p.End()

	p.Section("matrix", text.Matrix, text.MatrixNote)
	matrixTable(p, m)
	p.End()

	p.Section("groups", text.Groups)
	for gi := range doc.Groups {
		groupTable(p, &doc.Groups[gi])
	}
	p.End()

	if len(doc.Warnings) > 0 {
		p.Section("warnings", text.Warnings)
		p.Raw("<ul class=\"warnings\">\n")
		for _, w := range doc.Warnings {
			p.Raw("<li><bdi>")
			p.Text(w.String())
			p.Raw("</bdi></li>\n")
		}
		p.Raw("</ul>\n")
		p.End()
	}
	p.Raw("</main>\n")
	return p.Finish(gen.HTMLHeader(doc), text.Title)
}

// htmlSizeHint guesses the page's size, so that it is not copied as it
// grows: the markup around the tables, and per rule its flows in the
// matrix, its row of its group's table and its purposes (twice each).
func htmlSizeHint(doc *spec.Document, lang Lang) int {
	n := 32 << 10
	for gi := range doc.Groups {
		g := &doc.Groups[gi]
		n += 512 + len(g.ID)
		for ri := range g.Rules {
			r := &g.Rules[ri]
			n += 250 + 90*max(1, len(r.Ports)) + len(r.Pos.Filename) + 12
			for _, code := range lang.Codes() {
				t, _ := text.PurposeOf(r, code)
				n += 2 * len(t)
			}
		}
	}
	return n
}

// facts writes the document's source, digest, kind and languages.
func facts(p *page.Page, doc *spec.Document) {
	p.Raw(`<dl class="facts">`)
	fact := func(k text.Key, v string, class string) {
		p.Raw("<dt>")
		p.Label(k)
		p.Rawf(`</dt><dd class="%s"><bdi>`, class)
		p.Text(v)
		p.Raw("</bdi></dd>")
	}
	fact(text.Source, doc.Source, "mono")
	fact(text.Digest, doc.SHA256, "mono")
	fact(text.Kind, doc.Kind, "")
	langs := ""
	for i, l := range doc.Languages {
		if i > 0 {
			langs += ", "
		}
		langs += l
	}
	fact(text.Languages, langs, "")
	p.Raw("</dl>\n")
}

// matrixTable writes the matrix: a row per source role, a column per
// destination role.
func matrixTable(p *page.Page, m matrix) {
	p.Raw(`<table class="matrix"><thead><tr><th>`)
	p.Label(text.FromTo)
	p.Raw("</th>")
	for _, to := range m.roles {
		p.Rawf(`<th scope="col" data-role="%s">`, to)
		p.Role(to)
		p.Raw("</th>")
	}
	p.Raw("</tr></thead>\n<tbody>\n")
	for _, from := range m.roles {
		p.Rawf(`<tr><th scope="row" data-role="%s">`, from)
		p.Role(from)
		p.Raw("</th>")
		for _, to := range m.roles {
			cell := m.cells[pair{from, to}]
			p.Rawf(`<td data-from="%s" data-to="%s"`, from, to)
			if len(cell) == 0 {
				p.Raw(` class="empty">`)
				p.Label(text.NoFlows)
				p.Raw("</td>")
				continue
			}
			p.Raw(`><ul class="flows">`)
			for _, f := range cell {
				p.Rawf(`<li data-protocol="%s" data-first="%d" data-last="%d"><span class="ports">%s</span> `, f.protocol, f.ports.First, f.ports.Last, flowText(f.protocol, f.ports))
				for i, r := range f.rules {
					if i > 0 {
						p.Raw("; ")
					}
					p.Purpose(r)
				}
				p.Raw("</li>")
			}
			p.Raw("</ul></td>")
		}
		p.Raw("</tr>\n")
	}
	p.Raw("</tbody></table>\n")
}

// groupTable writes one table of the document as it has it.
func groupTable(p *page.Page, g *spec.Group) {
	p.Rawf(`<h3 id="group-%s">`, page.Escape(g.ID))
	p.Texts(func(code string) (string, string) { return text.TitleOf(g, code) })
	p.Raw(` <span class="muted">(<span class="mono">`)
	p.Text(g.ID)
	p.Raw("</span>; ")
	p.Role(g.From)
	p.Raw(" → ")
	p.Role(g.To)
	p.Raw(", ")
	p.Label(text.DirectionKey(g.Direction))
	p.Raw(")</span></h3>\n<table class=\"group\"><thead><tr>")
	for _, k := range []text.Key{text.Ports, text.Protocol, text.Purpose, text.Line} {
		p.Raw("<th>")
		p.Label(k)
		p.Raw("</th>")
	}
	p.Raw("</tr></thead>\n<tbody>\n")
	for ri := range g.Rules {
		r := &g.Rules[ri]
		ports := spec.FormatPorts(r.Ports)
		if ports == "" {
			ports = "—"
		}
		p.Rawf(`<tr><td class="ports">%s</td><td>%s</td><td>`, ports, r.Protocol)
		p.Purpose(r)
		p.Raw(`</td><td class="mono"><bdi>`)
		p.Text(spec.FormatPosition(r.Pos))
		p.Raw("</bdi></td></tr>\n")
	}
	p.Raw("</tbody></table>\n")
}
