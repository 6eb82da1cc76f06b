package golang

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/portspec/portspec/spec"
)

// exampleRule picks the port the examples show: the first single port
// that several rules open (so that Lookup shows more than one answer), else
// the first port of a rule between known roles, else the first port.
func exampleRule(m *model) (*ruleInfo, portConst) {
	count := map[[2]int]int{}
	for i := range m.rules {
		for _, c := range m.rules[i].consts {
			if c.r.Single() {
				count[[2]int{int(m.rules[i].rule.Protocol), int(c.r.First)}]++
			}
		}
	}
	for i := range m.rules {
		ri := &m.rules[i]
		for _, c := range ri.consts {
			if c.r.Single() && ri.group.known && count[[2]int{int(ri.rule.Protocol), int(c.r.First)}] > 1 {
				return ri, c
			}
		}
	}
	for _, known := range []bool{true, false} {
		for i := range m.rules {
			ri := &m.rules[i]
			if len(ri.consts) > 0 && (ri.group.known || !known) {
				return ri, ri.consts[0]
			}
		}
	}
	return nil, portConst{}
}

// ruleString is Rule.String of the generated package, at generation time.
// It is linear in the number of ports (a cell may list thousands).
func ruleString(ri *ruleInfo) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s->%s %s", ri.group.id, ri.group.from, ri.group.to, ri.rule.Protocol)
	for i, p := range ri.rule.Ports {
		if i == 0 {
			b.WriteByte('/')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// allowed is Allowed of the generated package, at generation time.
func allowed(m *model, from, to spec.Role, port uint16, p spec.Protocol) bool {
	for i := range m.rules {
		ri := &m.rules[i]
		if ri.rule.Protocol != p || !covers(ri.group.from, from) || !covers(ri.group.to, to) {
			continue
		}
		for _, pr := range lookupRanges(ri.rule) {
			if pr.Contains(port) {
				return true
			}
		}
	}
	return false
}

// printable reports whether s can stand in an "// Output:" comment as is.
func printable(s string) bool {
	for _, r := range s {
		if r < ' ' || r > '~' {
			return false
		}
	}
	return strings.TrimSpace(s) == s
}

// emitExamples writes example_test.go: runnable examples of Lookup and
// Allowed on a port of the document, whose expected output is computed
// here and checked by `go test` of the generated package.
func emitExamples(m *model, pkg string) ([]byte, error) {
	f := jen.NewFile(pkg)
	ex, c := exampleRule(m)
	if ex == nil {
		f.Comment("// The document has no TCP or UDP rule to show in an example.")
		return render(f, m.doc)
	}
	port, portID := c.r.First, c.name
	if !c.r.Single() {
		portID = c.name + "First"
	}
	proto := ex.rule.Protocol

	var want []string
	var matches []string
	for i := range m.rules {
		ri := &m.rules[i]
		if ri.rule.Protocol != proto {
			continue
		}
		for _, pr := range ri.rule.Ports {
			if pr.Contains(port) {
				matches = append(matches, ruleString(ri))
				break
			}
		}
	}
	listed := true
	for _, s := range matches {
		listed = listed && printable(s)
	}
	body := []jen.Code{jen.Comment("// Which rules open this port, and between whom?")}
	if listed {
		body = append(body, jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Id("Lookup").Call(jen.Id(portID), jen.Id(proto.String()))).Block(
			jen.Qual("fmt", "Println").Call(jen.Id("r")),
		))
		want = matches
	} else {
		body = append(body, jen.Qual("fmt", "Println").Call(jen.Len(jen.Id("Lookup").Call(jen.Id(portID), jen.Id(proto.String())))))
		want = []string{fmt.Sprint(len(matches))}
	}
	f.Line()
	f.Func().Id("ExampleLookup").Params().Block(append(body, outputComment(want)...)...)

	from, to := ex.group.from, ex.group.to
	body = []jen.Code{
		jen.Comment("// May this traffic pass? Master and frontend nodes are nodes too."),
		jen.Qual("fmt", "Println").Call(jen.Id("Allowed").Call(jen.Id(roleIdent(from)), jen.Id(roleIdent(to)), jen.Id(portID), jen.Id(proto.String()))),
	}
	want = []string{fmt.Sprint(allowed(m, from, to, port, proto))}
	// A pair of roles the document does not allow, when there is one.
	roles := spec.Roles()
	for _, a := range append(roles, spec.RoleUnknown) {
		found := false
		for _, b := range roles {
			if !allowed(m, a, b, port, proto) {
				body = append(body, jen.Qual("fmt", "Println").Call(jen.Id("Allowed").Call(jen.Id(roleIdent(a)), jen.Id(roleIdent(b)), jen.Id(portID), jen.Id(proto.String()))))
				want = append(want, "false")
				found = true
				break
			}
		}
		if found {
			break
		}
	}
	f.Line()
	f.Func().Id("ExampleAllowed").Params().Block(append(body, outputComment(want)...)...)
	return render(f, m.doc)
}

func outputComment(lines []string) []jen.Code {
	out := []jen.Code{jen.Comment("// Output:")}
	for _, l := range lines {
		out = append(out, jen.Comment("// "+l))
	}
	return out
}
