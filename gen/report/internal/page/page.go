// Package page writes the report family's HTML pages (gen/report's and
// gen/report/changes'): one self-contained file, its style inline and
// allowed by its hash in a Content-Security-Policy that forbids every
// script and every request, an English/Russian switch made of CSS alone,
// and document text always escaped and made safe to show (text.Display)
// inside a <bdi>, so that no text can add markup or reorder the page.
package page

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"strings"

	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// Page is an HTML page being written.
type Page struct {
	b    strings.Builder
	lang text.Lang
}

// New starts a page with its labels in lang.
func New(lang text.Lang) *Page { return &Page{lang: lang} }

// Lang is the page's language.
func (p *Page) Lang() text.Lang { return p.lang }

// Raw writes markup of the page's own (never document text).
func (p *Page) Raw(s string) { p.b.WriteString(s) }

// Rawf writes formatted markup of the page's own; its arguments must be
// numbers or the page's own names.
func (p *Page) Rawf(format string, args ...any) { fmt.Fprintf(&p.b, format, args...) }

// Text writes document text: on one line, bidirectional controls shown,
// escaped.
func (p *Page) Text(s string) { p.b.WriteString(Escape(text.Display(s))) }

// Escape escapes text for an element's content or a quoted attribute.
func Escape(s string) string { return html.EscapeString(s) }

// Label writes a label: in the page's language, or with both, one span per
// language that the switch shows or hides.
func (p *Page) Label(k text.Key) {
	p.both(func(code string) string { return Escape(k.In(code)) })
}

// Role writes a role's name as Label does.
func (p *Page) Role(r spec.Role) {
	p.both(func(code string) string { return Escape(text.Role(r, code)) })
}

func (p *Page) both(f func(code string) string) {
	if p.lang != text.Both {
		p.b.WriteString(f(p.lang.Codes()[0]))
		return
	}
	en, ru := f("en"), f("ru")
	if en == ru {
		p.b.WriteString(en)
		return
	}
	p.Rawf(`<span class="l-en">%s</span><span class="l-ru" lang="ru">%s</span>`, en, ru)
}

// Purpose writes a rule's purpose in the page's language (both, with
// Both), each in a <bdi> that says which language it is in: the rule's
// own, or English when it has none in the language shown.
func (p *Page) Purpose(r *spec.Rule) {
	p.Texts(func(code string) (string, string) { return text.PurposeOf(r, code) })
}

// Texts writes document text given per language, as Purpose does: f
// returns the text for a language code and the code it is really in.
func (p *Page) Texts(f func(code string) (string, string)) {
	if p.lang != text.Both {
		s, in := f(p.lang.Codes()[0])
		p.Rawf(`<bdi lang="%s">`, in)
		p.Text(s)
		p.Raw(`</bdi>`)
		return
	}
	for _, code := range text.Both.Codes() {
		s, in := f(code)
		p.Rawf(`<bdi class="l-%s" lang="%s">`, code, in)
		p.Text(s)
		p.Raw(`</bdi>`)
	}
}

// SVGLabel writes an SVG <text> of a label (one per language with Both):
// at x, y with the given class and text-anchor.
func (p *Page) SVGLabel(x, y int, class, anchor string, f func(code string) string) {
	codes := p.lang.Codes()
	for _, code := range codes {
		c := class
		if len(codes) > 1 {
			c += " l-" + code
		}
		p.Rawf(`<text x="%d" y="%d" class="%s" text-anchor="%s">%s</text>`, x, y, c, anchor, Escape(f(code)))
	}
}

// Grow makes room for n more bytes of the page, so that a page whose
// size the caller can guess is not copied as it grows.
func (p *Page) Grow(n int) { p.b.Grow(n) }

// Finish returns the whole page: the generated-file header (an HTML
// comment, or "" for none), the head with the policy and the style, the
// language switch and the body written so far, in one slice of its size.
func (p *Page) Finish(header string, title text.Key) []byte {
	var b strings.Builder
	if header != "" {
		b.WriteString(header + "\n")
	}
	lang := "en"
	if p.lang == text.Russian {
		lang = "ru"
	}
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", lang)
	fmt.Fprintf(&b, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", Policy())
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"generator\" content=\"portspec\">\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<style>%s</style>\n</head>\n<body>\n", Escape(title.For(p.lang)), css)
	if p.lang == text.Both {
		b.WriteString(`<input type="radio" name="lang" id="lang-en" class="lang" checked><input type="radio" name="lang" id="lang-ru" class="lang">` + "\n")
	}
	const tail = "</body>\n</html>\n"
	out := make([]byte, 0, b.Len()+p.b.Len()+len(tail))
	out = append(out, b.String()...)
	out = append(out, p.b.String()...)
	return append(out, tail...)
}

// Header opens the page's header: the language switch, then the title.
func (p *Page) Header(title text.Key) {
	p.Raw("<header>\n")
	p.Switch()
	p.Raw("<h1>")
	p.Label(title)
	p.Raw("</h1>\n")
}

// Section opens a section: its heading, and its notes, one paragraph
// each. End closes it.
func (p *Page) Section(id string, title text.Key, notes ...text.Key) {
	p.Rawf(`<section id="%s"><h2>`, id)
	p.Label(title)
	p.Raw("</h2>\n")
	for _, n := range notes {
		p.Raw(`<p class="note">`)
		p.Label(n)
		p.Raw("</p>\n")
	}
}

// End closes a section.
func (p *Page) End() { p.Raw("</section>\n") }

// Switch writes the language switch's labels (with Both; nothing else).
func (p *Page) Switch() {
	if p.lang != text.Both {
		return
	}
	p.Raw(`<nav class="switch">`)
	p.Label(text.Language)
	p.Raw(`: <label for="lang-en">English</label> <label for="lang-ru" lang="ru">Русский</label></nav>` + "\n")
}

// Policy is the page's Content-Security-Policy: nothing may load or run,
// the one style element excepted (by its hash).
func Policy() string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'"
}

// css is the pages' one style sheet. It shows one language at a time
// (the radio buttons before the body's content decide which), and prints
// without the switch.
const css = `
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#eef2f6;--open:#dafbe1;--close:#ffebe9;--move:#fff8c5;--note:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:15px;margin:20px 0 6px}
.muted,.note{color:var(--muted)}.note{margin:4px 0 10px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
code,.mono,.ports{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}tbody th{background:var(--head);white-space:nowrap}
table.matrix td{min-width:170px;max-width:420px}
ul.flows{list-style:none;margin:0;padding:0}ul.flows li{margin:0 0 3px;padding-left:1.2em;text-indent:-1.2em}
.ports{font-weight:600;white-space:nowrap}
.empty{color:var(--muted);text-align:center}
figure{margin:8px 0}svg{max-width:100%;height:auto}
svg .box{fill:#f3f6f9;stroke:#3d4f63;stroke-width:1.5}svg .role{font:600 14px system-ui,sans-serif;fill:var(--ink)}
svg .edge{fill:none;stroke:#3d4f63;stroke-width:1.4}svg .egress{stroke-dasharray:6 4}svg .tip{fill:#3d4f63}
svg .label{font:12px "DejaVu Sans Mono",Menlo,monospace;fill:#0b3d6e}
tr.open td{background:var(--open)}tr.close td{background:var(--close)}tr.move td{background:var(--move)}tr.purpose td,tr.group td{background:var(--note)}
.badge{font-weight:700;white-space:nowrap}
.warnings li{color:#8a4600}
nav.switch{float:right;color:var(--muted)}nav.switch label{cursor:pointer;border:1px solid var(--line);border-radius:4px;padding:1px 8px;margin-left:4px}
input.lang{position:absolute;opacity:0;pointer-events:none}
#lang-en:checked~* label[for=lang-en],#lang-ru:checked~* label[for=lang-ru]{background:var(--ink);color:#fff}
#lang-en:checked~* .l-ru,#lang-ru:checked~* .l-en{display:none}
@media print{body{padding:0;font-size:10.5pt}nav.switch{display:none}thead th{position:static}tr,li{break-inside:avoid}h2{break-after:avoid}a{color:inherit}}
`
