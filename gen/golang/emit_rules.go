package golang

import (
	"fmt"
	"strconv"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/spec"
)

// rules.go is everything of the package that grows with the document: the
// groups, a constant per port, the Rules table and the lookup tables. It is
// written as text already in gofmt's form, into one buffer sized up front,
// not through jennifer: jennifer's Render runs go/format on the file, which
// was most of the target's time and memory, and at 100,000 rows held the
// syntax tree of a 39 MB file.
//
// The form is gofmt's because the text is regular: one declaration or
// element per line with tabs for indentation and single spaces inside, a
// doc comment on every constant (so gofmt aligns nothing: a comment line
// ends each column block), and literals from strconv. Outside text goes
// only into string literals (strconv.Quote) and into // comments through
// commentText, wrapped at spaces as docComment wraps. go/format rewrites
// the doc comments it finds (go/doc/comment): lines that are indented
// (code, lists), but commentText leaves none; a one-line paragraph "# x"
// (left as it is when its lines are single-spaced, as here); a paragraph
// made only of link definitions ("[x]: http://…"), moved to the end; an
// old-style heading, a one-line paragraph between two others. Every
// paragraph written here starts with our own words (an identifier,
// "From", "Not"), and no comment has more than two paragraphs.
// TestGeneratedIsFormatted, TestTextEqualsJennifer and the fuzz targets
// keep the file equal to its gofmt form and to what the jennifer
// implementation wrote (rules_jennifer_test.go).

// position formats a rule's source as "file:line".
func position(r *spec.Rule) string {
	if r.Pos.Filename == "" && r.Pos.Line == 0 {
		return "unknown position"
	}
	return r.Pos.Filename + ":" + strconv.Itoa(r.Pos.Line)
}

func groupLine(g *groupInfo) string {
	if !g.known {
		return fmt.Sprintf("group %s (roles unknown)", g.id)
	}
	return fmt.Sprintf("group %s, %s → %s", g.id, g.from, g.to)
}

// commentWidth is where docComment and appendDoc wrap a comment's text.
const commentWidth = 76

// appendDoc appends paragraphs as a // comment block, each line indented
// by indent: the text docComment gives jennifer, in gofmt's form. A
// paragraph that is empty once commentText has folded it is left out, as
// go/format leaves out the blank comment lines it would make.
func appendDoc(b []byte, indent string, paragraphs ...string) []byte {
	first := true
	for _, p := range paragraphs {
		text := commentText(p)
		if text == "" {
			continue
		}
		if !first {
			b = append(b, indent...)
			b = append(b, "//\n"...)
		}
		first = false
		b = appendWrapped(b, indent, text)
	}
	return b
}

// appendWrapped appends text as "// " lines of at most commentWidth bytes
// where it can, broken at spaces: the lines of wrap(text, commentWidth).
func appendWrapped(b []byte, indent, text string) []byte {
	w := wrapper{indent: indent}
	return w.end(w.add(b, text))
}

// wrapper is appendWrapped in steps: add appends the words of one text
// after those of the texts before it, as wrap would the words of all of
// them joined by spaces. Only the whole can be commentText'd, but its
// words are those of its parts when every part ends where the whole has
// a space, so each part is folded once (and outside text once per rule,
// not once per port).
type wrapper struct {
	indent string
	n      int // bytes of text on the current line; 0: no line started
}

// add appends the words of text, which commentText has folded or which
// is our own words: its words are what strings.Fields would make of it,
// the runs between single spaces (commentText leaves no other white space).
func (w *wrapper) add(b []byte, text string) []byte { return addWords(w, b, text) }

func addWords[T string | []byte](w *wrapper, b []byte, text T) []byte {
	for len(text) > 0 {
		end := 0
		for end < len(text) && text[end] != ' ' {
			end++
		}
		if end > 0 {
			if w.n > 0 && w.n+1+end > commentWidth {
				b = append(b, '\n')
				w.n = 0
			}
			if w.n == 0 {
				b = append(b, w.indent...)
				b = append(b, "// "...)
			} else {
				b = append(b, ' ')
				w.n++
			}
			b = append(b, text[:end]...)
			w.n += end
		}
		if end < len(text) {
			end++ // the space
		}
		text = text[end:]
	}
	return b
}

// end ends the last line.
func (w *wrapper) end(b []byte) []byte {
	if w.n > 0 {
		b = append(b, '\n')
		w.n = 0
	}
	return b
}

// rulesWriter writes rules.go.
type rulesWriter struct {
	b []byte
	m *model
	// from is "From <position>." for each rule, its position commentText'd;
	// pos(i) is the position alone.
	from    []string
	scratch []byte // the words of a constant's comment before its group's
}

func newRulesWriter(m *model) *rulesWriter {
	w := &rulesWriter{m: m, from: make([]string, len(m.rules))}
	for i := range m.rules {
		w.from[i] = "From " + commentText(position(m.rules[i].rule)) + "."
	}
	return w
}

func (w *rulesWriter) pos(i int) string { return w.from[i][len("From ") : len(w.from[i])-1] }

// rulesLayout is what rules.go's tables are made of: the lookup spans,
// the rules in group order with each group's bounds, and whether that
// order is the document's.
type rulesLayout struct {
	ss       []span
	order    []int
	bounds   [][2]int
	identity bool
}

func layoutOf(m *model) rulesLayout {
	l := rulesLayout{ss: spans(m.rules), identity: true}
	l.order, l.bounds = byGroupOrder(m)
	for i, r := range l.order {
		l.identity = l.identity && i == r
	}
	return l
}

// emitRules writes rules.go: everything that depends on the document.
func emitRules(m *model, pkg string) ([]byte, error) {
	w := newRulesWriter(m)
	l := layoutOf(m)
	ss, order, bounds, identity := l.ss, l.order, l.bounds, l.identity
	w.b = make([]byte, 0, w.size(pkg, ss, identity, len(bounds)))
	w.b = append(w.b, gen.Header("//", m.doc)...)
	w.b = append(w.b, "\n\npackage "...)
	w.b = append(w.b, pkg...)
	w.b = append(w.b, "\n\nimport \"strconv\"\n"...)
	w.source()
	w.groups()
	w.portConsts()
	w.ruleTable()
	w.lookupTables(ss)
	w.groupTables(order, bounds, identity)
	return w.b, nil
}

// size is about the length of rules.go, a little more for most documents:
// the tables exactly, the comments with an allowance for their wrapping,
// the fixed text rounded up. Literals that need escapes make the file
// longer, and the buffer then grows.
func (w *rulesWriter) size(pkg string, ss []span, identity bool, bounds int) int {
	m := w.m
	wrapped := func(text int) int { return text + text/12 + 8 } // "\t// " and "\n" every 76 bytes or less
	n := 1100 + len(pkg) + 3*len(m.doc.Source) + 3*len(m.doc.SHA256)
	for i := range m.groups {
		g := &m.groups[i]
		n += wrapped(2*len(g.ident) + 2*len(g.id) + len(g.title) + 60)
		n += 50 + 2*len(g.ident) + len(g.id)
	}
	for i := range m.rules {
		ri := &m.rules[i]
		text := len(ri.group.id) + 40 + len(ri.purpose) + len(ri.site)
		// its element of Rules
		n += 100 + len(w.pos(i)) + len(ri.group.ident) + len(ri.purpose) + len(ri.purposeRU) + len(ri.site)
		for _, c := range ri.consts {
			// its ports in Rules, its constants and their comments
			if c.r.Single() {
				n += 2*len(c.name) + 4
				n += wrapped(len(c.name)+text) + wrapped(len(w.pos(i))+8) + 24 + len(c.name)
				continue
			}
			n += 2*len(c.name) + 13
			n += wrapped(2*len(c.name)+text+14) + wrapped(len(w.pos(i))+8) + 48 + 2*len(c.name)
			n += wrapped(2*len(c.name) + 45)
		}
		if !identity {
			n += 10 + digits(i) // its place in byGroupRules
		}
	}
	for _, s := range ss {
		n += 26 + len(s.rules)*(10+digits(len(m.rules))) // "\t{UDP, 65535, 65535, " lo, hi "},\n" and its references
	}
	n += bounds * (9 + 2*digits(len(m.rules)))
	return n + n/32 // a margin for escapes and long words
}

// digits is the number of decimal digits of n ≥ 0.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// source writes the Source and SourceSHA256 constants: which document the package comes from.
func (w *rulesWriter) source() {
	w.b = append(w.b, "\nconst (\n"...)
	w.b = appendDoc(w.b, "\t", "Source names the document this package was generated from.")
	w.b = append(w.b, "\tSource = "...)
	w.b = strconv.AppendQuote(w.b, w.m.doc.Source)
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "\t", "SourceSHA256 is the sha256 of that document's bytes.")
	w.b = append(w.b, "\tSourceSHA256 = "...)
	w.b = strconv.AppendQuote(w.b, w.m.doc.SHA256)
	w.b = append(w.b, "\n)\n"...)
}

// groups writes one Group constant per table of the document, and Group.String.
func (w *rulesWriter) groups() {
	m := w.m
	if len(m.groups) > 0 {
		w.b = append(w.b, "\nconst (\n"...)
		for i := range m.groups {
			g := &m.groups[i]
			dir := ""
			if g.known {
				dir = fmt.Sprintf(" Traffic from %s to %s (%s).", g.from, g.to, g.dir)
			}
			w.b = appendDoc(w.b, "\t", fmt.Sprintf("%s is the group %q: %s.%s", g.ident, g.id, g.title, dir))
			w.b = append(w.b, '\t')
			w.b = append(w.b, g.ident...)
			w.b = append(w.b, " Group = "...)
			w.b = strconv.AppendInt(w.b, int64(g.value), 10)
			w.b = append(w.b, '\n')
		}
		w.b = append(w.b, ")\n"...)
	}
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "", "String returns the group's id as the document's data names it (MastersToMasters, …).")
	w.b = append(w.b, "func (v Group) String() string {\n\tswitch v {\n"...)
	for i := range m.groups {
		g := &m.groups[i]
		w.b = append(w.b, "\tcase "...)
		w.b = append(w.b, g.ident...)
		w.b = append(w.b, ":\n\t\treturn "...)
		w.b = strconv.AppendQuote(w.b, g.id)
		w.b = append(w.b, '\n')
	}
	w.b = append(w.b, "\t}\n\treturn \"Group(\" + strconv.Itoa(int(v)) + \")\"\n}\n"...)
}

// portConsts writes the port constants, one block per group in the order
// the groups first have a rule; a range is a First/Last pair.
func (w *rulesWriter) portConsts() {
	m := w.m
	// The rules of each group, in document order, by the group's place in
	// m.groups; order lists the groups as their first rule comes.
	byGroup := make([][]int, len(m.groups))
	var order []int
	for i := range m.rules {
		g := m.rules[i].group.value - 1
		if byGroup[g] == nil {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], i)
	}
	for _, g := range order {
		// The words of a constant's comment after its port: the same for
		// the group, folded once.
		group := commentText("(" + groupLine(&m.groups[g]) + "):")
		opened := false
		for _, i := range byGroup[g] {
			ri := &m.rules[i]
			if len(ri.consts) == 0 {
				continue
			}
			if !opened {
				w.b = append(w.b, "\nconst (\n"...)
				opened = true
			}
			t := ruleTexts{group: group, purpose: commentText(ri.purpose), where: w.from[i]}
			if ri.site != "" {
				t.where = commentText("Not the document's: " + ri.site + ".")
			}
			for _, c := range ri.consts {
				w.portConst(ri, c, &t)
			}
		}
		if opened {
			w.b = append(w.b, ")\n"...)
		}
	}
}

// ruleTexts are the texts of a rule's constants' comments, folded once
// for all its ports: the words after the port (its group), its purpose,
// and the paragraph that says where the rule comes from.
type ruleTexts struct {
	group, purpose, where string
}

// portConst writes the constant (or First/Last pair) of one port range of
// a rule, with its comment: the paragraphs that docComment would make of
// "<name> is port <port>/<protocol> (<group line>): <purpose>" and where.
func (w *rulesWriter) portConst(ri *ruleInfo, c portConst, t *ruleTexts) {
	// The words up to the protocol: an identifier, numbers and our own
	// words, which commentText would leave as they are.
	s := w.scratch[:0]
	if c.r.Single() {
		s = append(s, c.name...)
		s = append(s, " is port "...)
		s = strconv.AppendUint(s, uint64(c.r.First), 10)
	} else {
		s = append(s, c.name...)
		s = append(s, "First and "...)
		s = append(s, c.name...)
		s = append(s, "Last bound ports "...)
		s = strconv.AppendUint(s, uint64(c.r.First), 10)
		s = append(s, '-')
		s = strconv.AppendUint(s, uint64(c.r.Last), 10)
	}
	s = append(s, '/')
	s = append(s, ri.rule.Protocol.String()...)
	w.scratch = s
	wr := wrapper{indent: "\t"}
	w.b = addWords(&wr, w.b, s)
	w.b = wr.add(w.b, t.group)
	w.b = wr.add(w.b, t.purpose)
	w.b = wr.end(w.b)
	w.b = append(w.b, "\t//\n"...)
	w.b = appendWrapped(w.b, "\t", t.where)
	w.b = append(w.b, '\t')
	w.b = append(w.b, c.name...)
	if c.r.Single() {
		w.b = append(w.b, " uint16 = "...)
		w.b = strconv.AppendUint(w.b, uint64(c.r.First), 10)
		w.b = append(w.b, '\n')
		return
	}
	w.b = append(w.b, "First uint16 = "...)
	w.b = strconv.AppendUint(w.b, uint64(c.r.First), 10)
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "\t", c.name+"Last is the last port of the range that "+c.name+"First starts.")
	w.b = append(w.b, '\t')
	w.b = append(w.b, c.name...)
	w.b = append(w.b, "Last uint16 = "...)
	w.b = strconv.AppendUint(w.b, uint64(c.r.Last), 10)
	w.b = append(w.b, '\n')
}

// ruleTable writes Rules, every rule in document order, with its ports as the constants above.
func (w *rulesWriter) ruleTable() {
	m := w.m
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "", "Rules lists every rule of the document in document order. A row for TCP/UDP is two rules. Do not modify it: the lookup tables were built from it.")
	w.b = append(w.b, "var Rules = []Rule{"...)
	if len(m.rules) > 0 {
		w.b = append(w.b, '\n')
	}
	for i := range m.rules {
		ri := &m.rules[i]
		w.b = append(w.b, "\t// "...)
		w.b = strconv.AppendInt(w.b, int64(i), 10)
		w.b = append(w.b, ": "...)
		w.b = append(w.b, w.pos(i)...)
		w.b = append(w.b, "\n\t{Group: "...)
		w.b = append(w.b, ri.group.ident...)
		w.b = append(w.b, ", From: "...)
		w.b = append(w.b, roleIdent(ri.group.from)...)
		w.b = append(w.b, ", To: "...)
		w.b = append(w.b, roleIdent(ri.group.to)...)
		w.b = append(w.b, ", Protocol: "...)
		w.b = append(w.b, ri.rule.Protocol.String()...)
		if len(ri.consts) > 0 {
			w.b = append(w.b, ", Ports: []PortRange{"...)
			for k, c := range ri.consts {
				if k > 0 {
					w.b = append(w.b, ", "...)
				}
				w.b = append(w.b, '{')
				w.b = append(w.b, c.name...)
				if !c.r.Single() {
					w.b = append(w.b, "First, "...)
					w.b = append(w.b, c.name...)
					w.b = append(w.b, "Last}"...)
					continue
				}
				w.b = append(w.b, ", "...)
				w.b = append(w.b, c.name...)
				w.b = append(w.b, '}')
			}
			w.b = append(w.b, '}')
		}
		w.b = append(w.b, ", Purpose: "...)
		w.b = strconv.AppendQuote(w.b, ri.purpose)
		if ri.purposeRU != "" {
			w.b = append(w.b, ", PurposeRU: "...)
			w.b = strconv.AppendQuote(w.b, ri.purposeRU)
		}
		if ri.site != "" {
			w.b = append(w.b, ", Site: "...)
			w.b = strconv.AppendQuote(w.b, ri.site)
		}
		w.b = append(w.b, "},\n"...)
	}
	w.b = append(w.b, "}\n"...)
}

// lookupTables writes the spans Lookup searches and the rules each opens (tables.go computes them).
func (w *rulesWriter) lookupTables(ss []span) {
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "", "lookupSpans cut each protocol's ports into stretches opened by the same rules, sorted by protocol and port.")
	w.b = append(w.b, "var lookupSpans = [...]span{"...)
	if len(ss) > 0 {
		w.b = append(w.b, '\n')
	}
	refs := 0
	for _, s := range ss {
		w.b = append(w.b, "\t{"...)
		w.b = append(w.b, s.proto.String()...)
		w.b = append(w.b, ", "...)
		w.b = strconv.AppendUint(w.b, uint64(s.first), 10)
		w.b = append(w.b, ", "...)
		w.b = strconv.AppendUint(w.b, uint64(s.last), 10)
		w.b = append(w.b, ", "...)
		w.b = strconv.AppendInt(w.b, int64(refs), 10)
		w.b = append(w.b, ", "...)
		refs += len(s.rules)
		w.b = strconv.AppendInt(w.b, int64(refs), 10)
		w.b = append(w.b, "},\n"...)
	}
	w.b = append(w.b, "}\n\n"...)
	w.b = appendDoc(w.b, "", "lookupRules holds, for each span in turn, copies of the rules that open it.")
	w.b = append(w.b, "var lookupRules = [...]Rule{"...)
	if refs > 0 {
		w.b = append(w.b, '\n')
	}
	for _, s := range ss {
		for _, r := range s.rules {
			w.b = appendRuleRef(w.b, r)
		}
	}
	w.b = append(w.b, "}\n"...)
}

// appendRuleRef appends one element "Rules[r]," of a table of rules.
func appendRuleRef(b []byte, r int) []byte {
	b = append(b, "\tRules["...)
	b = strconv.AppendInt(b, int64(r), 10)
	return append(b, "],\n"...)
}

// groupTables writes the rules sorted by group and where each group is in them, for ByGroup.
func (w *rulesWriter) groupTables(order []int, bounds [][2]int, identity bool) {
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "", "byGroupRules are the rules sorted by group, document order within a group.")
	if identity {
		w.b = append(w.b, "var byGroupRules = Rules\n"...)
	} else {
		w.b = append(w.b, "var byGroupRules = []Rule{"...)
		if len(order) > 0 {
			w.b = append(w.b, '\n')
		}
		for _, r := range order {
			w.b = appendRuleRef(w.b, r)
		}
		w.b = append(w.b, "}\n"...)
	}
	w.b = append(w.b, '\n')
	w.b = appendDoc(w.b, "", "groupSpans[g] is where group g's rules are in byGroupRules.")
	w.b = append(w.b, "var groupSpans = [...][2]uint32{\n"...)
	for _, b := range bounds {
		w.b = append(w.b, "\t{"...)
		w.b = strconv.AppendInt(w.b, int64(b[0]), 10)
		w.b = append(w.b, ", "...)
		w.b = strconv.AppendInt(w.b, int64(b[1]), 10)
		w.b = append(w.b, "},\n"...)
	}
	w.b = append(w.b, "}\n"...)
}
