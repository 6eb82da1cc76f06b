package report

import (
	"strings"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/report/internal/text"
	"github.com/portspec/portspec/spec"
)

// writeMermaid writes the diagram as a Mermaid flowchart: a node per role
// that has flows, an edge per pair of roles labelled with their ports. The
// labels are the report's own (role names, protocols, port numbers): no
// document text reaches the chart, whose syntax has few ways to quote.
// The header is a Mermaid comment ("%%").
func writeMermaid(doc *spec.Document, lang Lang, m matrix) []byte {
	var b strings.Builder
	b.WriteString(gen.Header("%%", doc) + "\n")
	b.WriteString("flowchart TB\n")
	used := map[spec.Role]bool{}
	for _, k := range m.pairs() {
		used[k.from], used[k.to] = true, true
	}
	for _, r := range m.roles {
		if !used[r] {
			continue
		}
		var names []string
		for _, code := range lang.Codes() {
			names = append(names, text.Role(r, code))
		}
		open, close := `["`, `"]`
		if r == spec.RoleExternal {
			open, close = `(["`, `"])`
		}
		b.WriteString("    " + r.String() + open + strings.Join(names, "<br>") + close + "\n")
	}
	for _, k := range m.pairs() {
		arrow := "-->"
		if k.to == spec.RoleExternal {
			arrow = "-.->"
		}
		label := strings.Join(wrapSummary(portSummary(m.cells[k]), 40), "<br>")
		b.WriteString("    " + k.from.String() + " " + arrow + `|"` + label + `"| ` + k.to.String() + "\n")
	}
	return []byte(b.String())
}
