package golang

import (
	"fmt"

	"github.com/dave/jennifer/jen"
)

// This file keeps the jennifer implementation of rules.go and ports.go
// that the target used before it wrote them as text (emit_rules.go,
// emit_api.go): jennifer renders and go/format formats, so its output is
// the reference the text must equal byte for byte (TestTextEqualsJennifer,
// the fuzz targets).

// emitRulesJennifer is the former emitRules.
func emitRulesJennifer(m *model, pkg string) ([]byte, error) {
	f := jen.NewFile(pkg)
	emitSource(f, m)
	emitGroups(f, m)
	emitPortConsts(f, m)
	emitRuleTable(f, m)
	emitLookupTables(f, m)
	emitGroupTables(f, m)
	return render(f, m.doc)
}

// multiline puts each element of a composite literal on its own line.
func multiline(items []jen.Code) []jen.Code {
	if len(items) == 0 {
		return nil
	}
	out := make([]jen.Code, 0, len(items)+1)
	for _, it := range items {
		out = append(out, jen.Line().Add(it))
	}
	out = append(out, jen.Line())
	return out
}

// emitSource writes the Source and SourceSHA256 constants: which document the package comes from.
func emitSource(f *jen.File, m *model) {
	f.Line()
	f.Const().Defs(
		docComment("Source names the document this package was generated from.").Id("Source").Op("=").Lit(m.doc.Source),
		docComment("SourceSHA256 is the sha256 of that document's bytes.").Id("SourceSHA256").Op("=").Lit(m.doc.SHA256),
	)
}

// emitGroups writes one Group constant per table of the document, and Group.String.
func emitGroups(f *jen.File, m *model) {
	f.Line()
	var defs []jen.Code
	var cases [][2]string
	for i := range m.groups {
		g := &m.groups[i]
		dir := ""
		if g.known {
			dir = fmt.Sprintf(" Traffic from %s to %s (%s).", g.from, g.to, g.dir)
		}
		defs = append(defs, docComment(fmt.Sprintf("%s is the group %q: %s.%s", g.ident, g.id, g.title, dir)).
			Id(g.ident).Id("Group").Op("=").Lit(g.value))
		cases = append(cases, [2]string{g.ident, g.id})
	}
	if len(defs) > 0 {
		f.Const().Defs(defs...)
		f.Line()
	}
	f.Line()
	f.Add(docComment("String returns the group's id as the document's data names it (MastersToMasters, …).")).Add(enumStringFunc("Group", cases))
}

// emitPortConsts writes the port constants, one block per group in document order; a range is a First/Last pair.
func emitPortConsts(f *jen.File, m *model) {
	groupDefs := map[*groupInfo][]jen.Code{}
	var groupOrder []*groupInfo
	for i := range m.rules {
		ri := &m.rules[i]
		if _, ok := groupDefs[ri.group]; !ok {
			groupOrder = append(groupOrder, ri.group)
			groupDefs[ri.group] = nil
		}
		for _, c := range ri.consts {
			where := "From " + position(ri.rule) + "."
			if ri.site != "" {
				where = "Not the document's: " + ri.site + "."
			}
			if c.r.Single() {
				groupDefs[ri.group] = append(groupDefs[ri.group],
					docComment(fmt.Sprintf("%s is port %d/%s (%s): %s", c.name, c.r.First, ri.rule.Protocol, groupLine(ri.group), ri.purpose), where).
						Id(c.name).Uint16().Op("=").Lit(int(c.r.First)))
				continue
			}
			groupDefs[ri.group] = append(groupDefs[ri.group],
				docComment(fmt.Sprintf("%sFirst and %sLast bound ports %s/%s (%s): %s", c.name, c.name, c.r, ri.rule.Protocol, groupLine(ri.group), ri.purpose), where).
					Id(c.name+"First").Uint16().Op("=").Lit(int(c.r.First)),
				docComment(fmt.Sprintf("%sLast is the last port of the range that %sFirst starts.", c.name, c.name)).
					Id(c.name+"Last").Uint16().Op("=").Lit(int(c.r.Last)))
		}
	}
	for _, g := range groupOrder {
		if len(groupDefs[g]) > 0 {
			f.Line()
			f.Const().Defs(groupDefs[g]...)
		}
	}
}

// emitRuleTable writes Rules, every rule in document order, with its ports as the constants above.
func emitRuleTable(f *jen.File, m *model) {
	var items []jen.Code
	for i := range m.rules {
		ri := &m.rules[i]
		var ports []jen.Code
		for _, c := range ri.consts {
			first, last := c.name, c.name
			if !c.r.Single() {
				first, last = c.name+"First", c.name+"Last"
			}
			ports = append(ports, jen.Values(jen.Id(first), jen.Id(last)))
		}
		fields := []jen.Code{
			jen.Id("Group").Op(":").Id(ri.group.ident),
			jen.Id("From").Op(":").Id(roleIdent(ri.group.from)),
			jen.Id("To").Op(":").Id(roleIdent(ri.group.to)),
			jen.Id("Protocol").Op(":").Id(ri.rule.Protocol.String()),
		}
		if len(ports) > 0 {
			fields = append(fields, jen.Id("Ports").Op(":").Index().Id("PortRange").Values(ports...))
		}
		fields = append(fields, jen.Id("Purpose").Op(":").Lit(ri.purpose))
		if ri.purposeRU != "" {
			fields = append(fields, jen.Id("PurposeRU").Op(":").Lit(ri.purposeRU))
		}
		if ri.site != "" {
			fields = append(fields, jen.Id("Site").Op(":").Lit(ri.site))
		}
		items = append(items, jen.Comment(fmt.Sprintf("// %d: %s", i, commentText(position(ri.rule)))).Line().Values(fields...))
	}
	f.Line()
	f.Add(docComment("Rules lists every rule of the document in document order. A row for TCP/UDP is two rules. Do not modify it: the lookup tables were built from it.")).Var().Id("Rules").Op("=").Index().Id("Rule").Values(multiline(items)...)
}

// emitLookupTables writes the spans Lookup searches and the rules each opens (tables.go computes them).
func emitLookupTables(f *jen.File, m *model) {
	ss := spans(m.rules)
	var spanVals, refs []jen.Code
	for _, s := range ss {
		lo := len(refs)
		for _, r := range s.rules {
			refs = append(refs, jen.Id("Rules").Index(jen.Lit(r)))
		}
		spanVals = append(spanVals, jen.Values(jen.Id(s.proto.String()), jen.Lit(int(s.first)), jen.Lit(int(s.last)), jen.Lit(lo), jen.Lit(len(refs))))
	}
	f.Line()
	f.Add(docComment("lookupSpans cut each protocol's ports into stretches opened by the same rules, sorted by protocol and port.")).Var().Id("lookupSpans").Op("=").Index(jen.Op("...")).Id("span").Values(multiline(spanVals)...)
	f.Line()
	f.Add(docComment("lookupRules holds, for each span in turn, copies of the rules that open it.")).Var().Id("lookupRules").Op("=").Index(jen.Op("...")).Id("Rule").Values(multiline(refs)...)
}

// emitGroupTables writes the rules sorted by group and where each group is in them, for ByGroup.
func emitGroupTables(f *jen.File, m *model) {
	order, bounds := byGroupOrder(m)
	identity := true
	for i, r := range order {
		identity = identity && i == r
	}
	f.Line()
	bg := f.Add(docComment("byGroupRules are the rules sorted by group, document order within a group."))
	if identity {
		bg.Var().Id("byGroupRules").Op("=").Id("Rules")
	} else {
		var gr []jen.Code
		for _, r := range order {
			gr = append(gr, jen.Id("Rules").Index(jen.Lit(r)))
		}
		bg.Var().Id("byGroupRules").Op("=").Index().Id("Rule").Values(multiline(gr)...)
	}
	var bv []jen.Code
	for _, b := range bounds {
		bv = append(bv, jen.Values(jen.Lit(b[0]), jen.Lit(b[1])))
	}
	f.Line()
	f.Add(docComment("groupSpans[g] is where group g's rules are in byGroupRules.")).Var().Id("groupSpans").Op("=").Index(jen.Op("...")).Index(jen.Lit(2)).Uint32().Values(multiline(bv)...)
}

// emitAPIJennifer is the former emitAPI.
func emitAPIJennifer(m *model, pkg string) ([]byte, error) {
	f := jen.NewFile(pkg)
	emitPackageDocJennifer(f, m, pkg)
	emitAPIBody(f)
	return render(f, m.doc)
}

// emitPackageDocJennifer is the former emitPackageDoc.
func emitPackageDocJennifer(f *jen.File, m *model, pkg string) {
	for _, l := range wrap(commentText("Package "+pkg+" holds the ports that Deckhouse Kubernetes Platform nodes must have open, as typed and documented constants, generated by portspec from "+m.doc.Source+"."), 76) {
		f.PackageComment("// " + l)
	}
	f.PackageComment("//")
	for _, l := range wrap("Every port of every rule has a constant (a range has a First/Last pair) whose comment gives its purpose, its group and the line of the document it comes from. Rules lists the rules in document order; Lookup, ByGroup and Allowed answer questions about them without allocating. Do not edit: regenerate with portspec generate.", 76) {
		f.PackageComment("// " + l)
	}
}
