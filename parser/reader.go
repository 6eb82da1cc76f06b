package parser

import (
	"fmt"
	"go/token"
	"sort"

	"github.com/portspec/portspec/spec"
)

// reader is the state both readers share while they fill one document:
// the source and its positions, the errors and warnings found so far.
type reader struct {
	src  *source
	doc  *spec.Document
	errs spec.ErrorList
	// damaged marks groups that lost rows to errors, so that validation does
	// not add "group has no rules" on top of the errors that emptied it.
	damaged map[string]bool
	langs   map[string]bool
	// purposes and ports hold the rules' purposes and ports, each rule's a
	// piece of a shared array.
	purposes arena[spec.LangPurpose]
	ports    arena[spec.PortRange]
}

// onePurpose returns the purposes of a rule that has p in lang only. They
// are a value: the rules of a TCP/UDP row may share them.
func (r *reader) onePurpose(lang string, p spec.Purpose) spec.Purposes {
	s := r.purposes.take(1)
	s[0] = spec.LangPurpose{Lang: lang, Purpose: p}
	return spec.MakePurposes(s)
}

// copyPorts returns a copy of ports of the rule's own.
func (r *reader) copyPorts(ports []spec.PortRange) []spec.PortRange {
	if len(ports) == 0 {
		return nil
	}
	s := r.ports.take(len(ports))
	copy(s, ports)
	return s
}

func newReader(src *source, doc *spec.Document) *reader {
	return &reader{src: src, doc: doc, damaged: map[string]bool{}, langs: map[string]bool{}}
}

func (r *reader) errorf(pos token.Position, format string, args ...any) {
	r.errs.Add(pos, fmt.Sprintf(format, args...))
}

// err returns the errors sorted by position and message, exact repeats
// removed, or nil. Unlike scanner.ErrorList.RemoveMultiples it keeps two
// different errors on one line (a bad port and a bad protocol of one row).
func (r *reader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	r.errs.Sort()
	out := r.errs[:1]
	for _, e := range r.errs[1:] {
		last := out[len(out)-1]
		if e.Pos == last.Pos && e.Msg == last.Msg {
			continue
		}
		out = append(out, e)
	}
	r.errs = out
	return out
}

func (r *reader) warnf(pos token.Position, format string, args ...any) {
	r.doc.Warnings = append(r.doc.Warnings, spec.Diagnostic{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// addLang records that the input carries text in language l.
func (r *reader) addLang(l string) { r.langs[l] = true }

// languages returns the languages seen, English first, then Russian, then
// the others in alphabetical order.
func (r *reader) languages() []string {
	rank := func(l string) int {
		switch l {
		case "en":
			return 0
		case "ru":
			return 1
		}
		return 2
	}
	var ls []string
	for l := range r.langs {
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool {
		if rank(ls[i]) != rank(ls[j]) {
			return rank(ls[i]) < rank(ls[j])
		}
		return ls[i] < ls[j]
	})
	return ls
}

// newGroup makes a group for an upstream id or, when the id is not one of
// spec.KnownGroups(), an unknown group with unknown roles.
func newGroup(id string, pos token.Position) spec.Group {
	g := spec.Group{ID: id, Pos: pos, Titles: map[string]string{}}
	if k, ok := spec.LookupGroup(id); ok {
		g.Known, g.From, g.To, g.Direction = true, k.From, k.To, k.Direction
	}
	return g
}
