package changes

import (
	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/gen/report/internal/page"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// HTML writes the comparison as a page of the report family (self-
// contained, no script, no request; see gen/report): the two documents,
// the counts, then per firewall a table of its changes, each row coloured
// and marked by what it asks of the firewall (+ open, − close, → move).
// lang is the language of the labels and purposes: en, ru, or both with a
// switch.
func HTML(r *compare.Report, old, new *spec.Document, lang text.Lang) []byte {
	p := page.New(lang)
	p.Header(text.TitleChanges)
	p.Raw("<dl class=\"facts\">")
	for _, d := range []struct {
		k   text.Key
		doc *spec.Document
	}{{text.Old, old}, {text.New, new}} {
		p.Raw("<dt>")
		p.Label(d.k)
		p.Raw(`</dt><dd class="mono"><bdi>`)
		p.Text(d.doc.Source)
		p.Raw("</bdi> (sha256 ")
		p.Text(d.doc.SHA256)
		p.Raw(")</dd>")
	}
	drift, warn, ack := counts(r)
	p.Raw("<dt>")
	p.Label(text.Summary)
	p.Raw(`</dt><dd class="summary">`)
	if len(r.Changes) == 0 {
		p.Label(text.NoChanges)
	} else {
		p.Rawf("%d ", drift)
		p.Label(text.Drift)
		p.Rawf(", %d ", warn)
		p.Label(text.WarningSeverity)
		p.Rawf(", %d ", ack)
		p.Label(text.Acknowledged)
	}
	p.Raw("</dd></dl>\n")
	if len(r.Notes) > 0 {
		p.Raw(`<ul class="warnings">`)
		for _, n := range r.Notes {
			p.Raw("<li><bdi>")
			p.Text(n)
			p.Raw("</bdi></li>")
		}
		p.Raw("</ul>\n")
	}
	p.Raw("</header>\n<main>\n")

	all := entries(r, old, new)
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].role == all[i].role && all[j].direction == all[i].direction {
			j++
		}
		firewall(p, all[i:j])
		i = j
	}
	p.Raw("</main>\n")
	return p.Finish("", text.TitleChanges)
}

func counts(r *compare.Report) (drift, warn, ack int) {
	for _, c := range r.Changes {
		switch {
		case c.Acknowledged:
			ack++
		case c.Severity == compare.Drift:
			drift++
		default:
			warn++
		}
	}
	return
}

// marks are the signs of the actions, so that a printout in black and
// white still tells them apart.
func mark(a compare.Action) string {
	switch a {
	case compare.ActionOpen:
		return "+"
	case compare.ActionClose:
		return "−"
	case compare.ActionMove:
		return "→"
	}
	return "~"
}

// firewall writes one firewall's section.
func firewall(p *page.Page, es []entry) {
	p.Rawf(`<section class="firewall" data-role="%s" data-direction="%s"><h2>`, es[0].role, es[0].direction)
	p.Label(text.Firewall)
	p.Raw(": ")
	p.Role(es[0].role)
	p.Raw(", ")
	p.Label(text.DirectionKey(es[0].direction))
	p.Raw("</h2>\n<table class=\"changes\"><thead><tr>")
	for _, k := range []text.Key{text.Action, text.Ports, text.Peer, text.Group, text.Purpose, text.Where, text.Severity, text.AckKey} {
		p.Raw("<th>")
		p.Label(k)
		p.Raw("</th>")
	}
	p.Raw("</tr></thead>\n<tbody>\n")
	for i := range es {
		row(p, &es[i])
	}
	p.Raw("</tbody></table>\n</section>\n")
}

func row(p *page.Page, e *entry) {
	p.Rawf(`<tr class="%s" data-action="%s"><td class="badge">%s `, e.action, e.action, mark(e.action))
	p.Label(actionKey(e.action))
	p.Raw(`</td><td class="ports">`)
	switch {
	case e.isGroups:
		p.Raw("—")
	case len(e.oldPorts) > 0:
		p.Text(portsText(e.protocol, e.oldPorts) + " → " + portsText(e.protocol, e.ports))
	default:
		p.Text(portsText(e.protocol, e.ports))
	}
	p.Raw("</td><td>")
	p.Role(e.peer)
	p.Raw(`</td><td class="mono">`)
	if e.oldGroup != "" {
		p.Text(e.oldGroup + " → ")
	}
	p.Text(e.group)
	p.Raw("</td><td>")
	if e.isGroups {
		p.Raw("<bdi>")
		p.Text(e.c.Describe())
		p.Raw("</bdi>")
	} else {
		p.Texts(e.purpose)
		if _, _, ok := e.was("en"); ok || wasRU(e) {
			p.Raw(` <span class="muted">(`)
			p.Label(text.Was)
			p.Raw(": ")
			p.Texts(func(code string) (string, string) {
				s, in, ok := e.was(code)
				if !ok {
					return e.purpose(code)
				}
				return s, in
			})
			p.Raw(")</span>")
		}
	}
	p.Raw(`</td><td class="mono"><bdi>`)
	// The documents are named above: a position in one is its line:col.
	if e.pos.IsValid() {
		p.Label(text.New)
		p.Rawf(" %d:%d", e.pos.Line, e.pos.Column)
	}
	if e.oldPos.IsValid() {
		if e.pos.IsValid() {
			p.Raw("; ")
		}
		p.Label(text.Old)
		p.Rawf(" %d:%d", e.oldPos.Line, e.oldPos.Column)
	}
	p.Raw("</bdi></td><td>")
	p.Label(severityKey(e.severity))
	if e.acknowledged {
		p.Raw(", ")
		p.Label(text.Acknowledged)
	}
	p.Raw(`</td><td class="mono"><bdi>`)
	p.Text(e.key)
	p.Raw("</bdi></td></tr>\n")
}

func wasRU(e *entry) bool {
	_, _, ok := e.was("ru")
	return ok
}
