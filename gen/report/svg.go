package report

import (
	"fmt"

	"github.com/portspec/portspec/gen/report/internal/page"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// The diagram is drawn by hand: the roles are few and fixed, so each has
// its place and each arrow the document has (the seven groups of the page)
// its path and a place for its label, chosen so that none overlaps
// another. A pair of roles the layout does not know (a group of unknown
// roles) gets a straight arrow, or a loop, with its label at the middle.

const (
	svgWidth  = 1100
	boxW      = 170
	boxH      = 50
	lineH     = 16 // a label line's height
	svgMargin = 24
)

type point struct{ x, y int }

// places are the centres of the roles' boxes.
func places() map[spec.Role]point {
	return map[spec.Role]point{
		spec.RoleExternal: {560, 50},
		spec.RoleMaster:   {140, 300},
		spec.RoleNode:     {560, 300},
		spec.RoleFrontend: {980, 300},
		spec.RoleUnknown:  {980, 540},
	}
}

// arrow is how one pair of roles is drawn: the path (ending where the tip
// is), and where the label's lines start, aligned how, at most how wide
// (characters), growing up from the anchor (above an arrow) or down.
type arrow struct {
	path   string
	at     point
	anchor string
	width  int
	up     bool
}

// layout returns the drawn arrows of the page's seven groups.
func layout() map[pair]arrow {
	return map[pair]arrow{
		{spec.RoleExternal, spec.RoleMaster}:   {path: "M500,75 L170,275", at: point{300, 112}, anchor: "end", width: 28},
		{spec.RoleExternal, spec.RoleFrontend}: {path: "M620,75 L950,275", at: point{800, 112}, anchor: "start", width: 38},
		{spec.RoleNode, spec.RoleExternal}:     {path: "M560,275 L560,75", at: point{572, 130}, anchor: "start", width: 20},
		{spec.RoleMaster, spec.RoleNode}:       {path: "M225,288 L475,288", at: point{350, 280}, anchor: "middle", width: 32, up: true},
		{spec.RoleNode, spec.RoleMaster}:       {path: "M475,312 L225,312", at: point{350, 330}, anchor: "middle", width: 32},
		{spec.RoleMaster, spec.RoleMaster}:     {path: "M110,325 C80,405 200,405 170,325", at: point{140, 420}, anchor: "middle", width: 28},
		{spec.RoleNode, spec.RoleNode}:         {path: "M530,325 C500,405 620,405 590,325", at: point{560, 420}, anchor: "middle", width: 56},
	}
}

// fallbackArrow draws a pair the layout does not know: a loop under the
// box, or a straight line between the boxes' centres stopped short of
// them, labelled at its middle.
func fallbackArrow(from, to point) arrow {
	if from == to {
		return arrow{
			path: fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", from.x-30, from.y+25, from.x-60, from.y+105, from.x+60, from.y+105, from.x+30, from.y+25),
			at:   point{from.x, from.y + 120}, anchor: "middle", width: 28,
		}
	}
	dx, dy := to.x-from.x, to.y-from.y
	short := func(p point, sign int) point {
		// Stop 40% of a box's size short of the centre, along the line.
		n := max(abs(dx), abs(dy))
		return point{p.x + sign*dx*boxW*4/10/n, p.y + sign*dy*boxH*12/10/n}
	}
	a, b := short(from, 1), short(to, -1)
	return arrow{path: fmt.Sprintf("M%d,%d L%d,%d", a.x, a.y, b.x, b.y), at: point{(a.x + b.x) / 2, (a.y + b.y) / 2}, anchor: "middle", width: 24}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// diagram writes the inline SVG: a box per role that has flows, an arrow
// per pair of roles with flows, labelled with their ports per protocol.
func diagram(p *page.Page, m matrix) {
	at, drawn := places(), layout()
	used := map[spec.Role]bool{}
	type edge struct {
		a     arrow
		lines []string
		k     pair
	}
	var edges []edge
	height := 0
	for _, k := range m.pairs() {
		used[k.from], used[k.to] = true, true
		a, ok := drawn[k]
		if !ok {
			a = fallbackArrow(at[k.from], at[k.to])
		}
		lines := wrapSummary(portSummary(m.cells[k]), a.width)
		edges = append(edges, edge{a, lines, k})
		if !a.up {
			height = max(height, a.at.y+lineH*len(lines))
		}
	}
	for r := range used {
		height = max(height, at[r].y+boxH/2)
	}
	height += svgMargin
	p.Rawf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img">`, svgWidth, height, svgWidth, height)
	p.Raw(`<defs><marker id="tip" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" class="tip"/></marker></defs>`)
	for _, e := range edges {
		class := "edge"
		if e.k.to == spec.RoleExternal {
			class += " egress"
		}
		p.Rawf(`<path d="%s" class="%s" marker-end="url(#tip)" data-from="%s" data-to="%s"/>`, e.a.path, class, e.k.from, e.k.to)
		y := e.a.at.y
		if e.a.up {
			y -= lineH * (len(e.lines) - 1)
		}
		p.Rawf(`<text class="label" text-anchor="%s" data-from="%s" data-to="%s">`, e.a.anchor, e.k.from, e.k.to)
		for i, l := range e.lines {
			p.Rawf(`<tspan x="%d" y="%d">%s</tspan>`, e.a.at.x, y+i*lineH, page.Escape(l))
		}
		p.Raw("</text>")
	}
	for _, r := range m.roles {
		if !used[r] {
			continue
		}
		c := at[r]
		p.Rawf(`<rect x="%d" y="%d" width="%d" height="%d" rx="8" class="box" data-role="%s"/>`, c.x-boxW/2, c.y-boxH/2, boxW, boxH, r)
		p.SVGLabel(c.x, c.y+5, "role", "middle", func(code string) string { return text.Role(r, code) })
	}
	p.Raw("</svg>")
}
