package spec

import (
	"iter"
	"slices"
	"strings"
)

// Purposes is a rule's purpose in each language of the input: a small list
// ordered by language, with the methods of a map. It is a list and not a map
// because nearly every rule has one or two languages: a map per rule was
// half of what parsing a document allocated, while a parser can carve every
// rule's list out of one array (MakePurposes).
//
// Purposes is a value, not a reference: copies share storage, but Set and
// Delete never write into storage another copy can see (a Rule copied and
// then changed leaves the original as it was, unlike the map it replaces).
// The zero value has no purposes. The JSON form is the map's: an object
// keyed by language.
type Purposes struct {
	list []LangPurpose // ordered by Lang, one entry per language
}

// LangPurpose is one entry of Purposes: a purpose in one language.
type LangPurpose struct {
	Lang    string
	Purpose Purpose
}

// MakePurposes returns the purposes list holds, a later entry of a language
// replacing an earlier one as in a map literal. It adopts list: it orders it
// in place and keeps it, clipped so that a later Set never writes past its
// end (a parser passes each rule a piece of one larger array); the caller
// must not change list afterwards.
func MakePurposes(list []LangPurpose) Purposes {
	if len(list) == 0 {
		return Purposes{}
	}
	if len(list) > 1 && !sortedUnique(list) {
		// Stable, so that among entries of one language the last is last.
		slices.SortStableFunc(list, func(a, b LangPurpose) int { return strings.Compare(a.Lang, b.Lang) })
		out := list[:0]
		for i, e := range list {
			if i+1 < len(list) && list[i+1].Lang == e.Lang {
				continue // a later entry of the language follows
			}
			out = append(out, e)
		}
		list = out
	}
	return Purposes{list: list[:len(list):len(list)]}
}

func sortedUnique(list []LangPurpose) bool {
	for i := 1; i < len(list); i++ {
		if list[i-1].Lang >= list[i].Lang {
			return false
		}
	}
	return true
}

// PurposesFrom returns the purposes of a map of language to purpose (nil or
// empty: none).
func PurposesFrom(m map[string]Purpose) Purposes {
	list := make([]LangPurpose, 0, len(m))
	for l, p := range m {
		list = append(list, LangPurpose{l, p})
	}
	return MakePurposes(list)
}

// Len returns the number of languages.
func (ps Purposes) Len() int { return len(ps.list) }

// find returns the index of lang, or where it would go, and whether it is
// there. Lists are short: a linear scan.
func (ps Purposes) find(lang string) (int, bool) {
	for i, e := range ps.list {
		if e.Lang >= lang {
			return i, e.Lang == lang
		}
	}
	return len(ps.list), false
}

// Get returns the purpose in lang and whether there is one.
func (ps Purposes) Get(lang string) (Purpose, bool) {
	if i, ok := ps.find(lang); ok {
		return ps.list[i].Purpose, true
	}
	return Purpose{}, false
}

// In returns the purpose in lang, the zero Purpose when there is none (as
// indexing the map did).
func (ps Purposes) In(lang string) Purpose {
	p, _ := ps.Get(lang)
	return p
}

// Set sets the purpose in lang, adding the language or replacing its purpose.
// It writes a new list: other copies of ps keep theirs.
func (ps *Purposes) Set(lang string, p Purpose) {
	i, ok := ps.find(lang)
	n := len(ps.list)
	if !ok {
		n++
	}
	list := make([]LangPurpose, 0, n)
	list = append(list, ps.list[:i]...)
	list = append(list, LangPurpose{lang, p})
	if ok {
		i++
	}
	ps.list = append(list, ps.list[i:]...)
}

// Delete removes the purpose in lang, if there is one. It writes a new list:
// other copies of ps keep theirs.
func (ps *Purposes) Delete(lang string) {
	i, ok := ps.find(lang)
	if !ok {
		return
	}
	if len(ps.list) == 1 {
		ps.list = nil
		return
	}
	ps.list = slices.Concat(ps.list[:i], ps.list[i+1:])
}

// All yields each language and its purpose, the languages in lexical order.
func (ps Purposes) All() iter.Seq2[string, Purpose] {
	return func(yield func(string, Purpose) bool) {
		for _, e := range ps.list {
			if !yield(e.Lang, e.Purpose) {
				return
			}
		}
	}
}

// Languages returns the languages in lexical order, in a slice of the
// caller's own.
func (ps Purposes) Languages() []string {
	ls := make([]string, len(ps.list))
	for i, e := range ps.list {
		ls[i] = e.Lang
	}
	return ls
}

// Clone returns the same purposes in storage of their own (which no longer
// keeps the array a parser carved them from alive).
func (ps Purposes) Clone() Purposes {
	if len(ps.list) == 0 {
		return Purposes{}
	}
	return Purposes{list: slices.Clone(ps.list)}
}

// Equal reports whether ps and o hold the same languages and purposes (go-cmp
// uses it to compare rules).
func (ps Purposes) Equal(o Purposes) bool { return slices.Equal(ps.list, o.list) }

// Pick returns the purpose in the first of langs that ps has, else in
// English, else in the lexically first language it has, with the language
// picked; ok is false when ps is empty. It is the fallback of
// Rule.PurposeIn.
func (ps Purposes) Pick(langs ...string) (lang string, p Purpose, ok bool) {
	for _, l := range langs {
		if p, ok := ps.Get(l); ok {
			return l, p, true
		}
	}
	if p, ok := ps.Get("en"); ok {
		return "en", p, true
	}
	if len(ps.list) == 0 {
		return "", Purpose{}, false
	}
	return ps.list[0].Lang, ps.list[0].Purpose, true
}
