package compare

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/portspec/portspec/spec"
)

// A move is ports of one purpose closed and others of the same purpose
// opened: one firewall change, reported as one (9680/TCP → 4227/TCP), not as
// a removal and an addition. Moves are found by purpose, so without a
// language both documents carry there are none.

// moves pairs removed and added chunks into moves: first those that carry
// the same purpose (in the same group, then anywhere in the document), then,
// among what is left in each group, those whose purposes are worded almost
// alike ("webhook" → "webhook handler").
func (c *comparer) moves(removed, added []*chunk) {
	if len(c.langs) == 0 {
		return
	}
	c.pairSamePurpose(removed, added)
	c.pairBestFirst(c.rewordedCandidates(removed, added))
}

// movable reports whether a removed and an added chunk can be one move:
// both still unpaired, of one protocol, and both whole ports (not a
// protocol removed from, or added to, ports that stay open).
func movable(r, a *chunk) bool {
	return !r.used && !a.used && r.proto == a.proto && r.kind == PortRemoved && a.kind == PortAdded
}

// move records removed chunk r and added chunk a as one move.
func (c *comparer) move(r, a *chunk) {
	r.used, a.used = true, true
	mv := Change{Kind: PortMoved, Severity: Drift, Group: a.group.ID,
		From: a.group.From, To: a.group.To, Direction: a.group.Direction,
		Protocol: a.proto, Ports: icmpless(a.proto, a.ports), Purpose: c.purpose(a.rule),
		OldGroup: r.group.ID, OldFrom: r.group.From, OldTo: r.group.To, OldDirection: r.group.Direction,
		OldPorts: icmpless(r.proto, r.ports), Pos: a.rule.Pos, OldPos: r.rule.Pos}
	if op := c.purpose(r.rule); op != mv.Purpose {
		mv.OldPurpose = op
	}
	c.out = append(c.out, mv)
}

// purposeKey is what added chunks are found by for a same-purpose move: a
// protocol and a purpose (normalized) in one language.
type purposeKey struct {
	proto      spec.Protocol
	lang, text string
}

// byPurpose indexes the added chunks by protocol and purpose in each
// compared language, in document order.
func (c *comparer) byPurpose(added []*chunk) map[purposeKey][]*chunk {
	index := map[purposeKey][]*chunk{}
	for _, a := range added {
		for _, l := range c.langs {
			if p, ok := a.rule.Purposes.Get(l); ok {
				k := purposeKey{a.proto, l, spec.NormalizePurpose(p.Text)}
				index[k] = append(index[k], a)
			}
		}
	}
	return index
}

// pairSamePurpose moves each removed chunk to an added one of the same
// protocol and the same purpose: in its own group first (a renumbering), then,
// for the chunks left, in any group (NTP from NodesToNodes to
// NodesToMasters).
func (c *comparer) pairSamePurpose(removed, added []*chunk) {
	index := c.byPurpose(added)
	for _, sameGroup := range []bool{true, false} {
		for _, r := range removed {
			if a := c.samePurpose(r, index, sameGroup); a != nil {
				c.move(r, a)
			}
		}
	}
}

// samePurpose returns the first added chunk r can move to that has r's
// purpose in a compared language (the languages in order), in r's group
// only when sameGroup is set; nil when there is none.
func (c *comparer) samePurpose(r *chunk, index map[purposeKey][]*chunk, sameGroup bool) *chunk {
	for _, l := range c.langs {
		p, ok := r.rule.Purposes.Get(l)
		if !ok {
			continue
		}
		for _, a := range index[purposeKey{r.proto, l, spec.NormalizePurpose(p.Text)}] {
			if movable(r, a) && (!sameGroup || r.group.ID == a.group.ID) {
				return a
			}
		}
	}
	return nil
}

// candidate is a removed and an added chunk of one group whose purposes are
// worded alike, and how alike (the share of words they have in common).
type candidate struct {
	r, a  *chunk
	score float64
}

// unpaired returns, per group, the chunks no move has taken yet: [0] the
// removed, [1] the added ones; groups in the order they first appear
// (removed chunks first).
func unpaired(removed, added []*chunk) (groups []string, byGroup map[string][2][]*chunk) {
	byGroup = map[string][2][]*chunk{}
	for i, side := range [][]*chunk{removed, added} {
		for _, ch := range side {
			if ch.used {
				continue
			}
			e, ok := byGroup[ch.group.ID]
			if !ok {
				groups = append(groups, ch.group.ID)
			}
			e[i] = append(e[i], ch)
			byGroup[ch.group.ID] = e
		}
	}
	return groups, byGroup
}

// rewordedCandidates returns the unpaired removed and added chunks of one
// group that can be one move and whose purposes (each in the first compared
// language it has) share at least similarEnough of their words. Each group costs
// removed × added comparisons, so a group with more than fuzzyLimit pairs
// is left unmatched, and a note says so, rather than made slow.
func (c *comparer) rewordedCandidates(removed, added []*chunk) []candidate {
	groups, byGroup := unpaired(removed, added)
	var cands []candidate
	for _, g := range groups {
		e := byGroup[g]
		if len(e[0])*len(e[1]) > fuzzyLimit {
			c.notes = append(c.notes, fmt.Sprintf("group %s: %d ports removed and %d added: reworded purposes not matched as moves (too many to compare)", g, len(e[0]), len(e[1])))
			continue
		}
		aw := make([][]string, len(e[1]))
		for i, a := range e[1] {
			aw[i] = words(c.purpose(a.rule))
		}
		for _, r := range e[0] {
			rw := words(c.purpose(r.rule))
			for i, a := range e[1] {
				if movable(r, a) {
					if s := wordSimilarity(rw, aw[i]); s >= similarEnough {
						cands = append(cands, candidate{r, a, s})
					}
				}
			}
		}
	}
	return cands
}

// pairBestFirst makes moves of the candidates, the most alike first (ties
// in the order found), each chunk in one move at most.
func (c *comparer) pairBestFirst(cands []candidate) {
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	for _, cd := range cands {
		if !cd.r.used && !cd.a.used {
			c.move(cd.r, cd.a)
		}
	}
}

// fuzzyLimit bounds the purpose comparisons of one group (removed × added
// chunks) when looking for reworded moves.
const fuzzyLimit = 1 << 18

// similarEnough is the share of words two purposes must have in common to
// be taken for one purpose reworded ("runtime-audit-engine webhook" and
// "runtime-audit-engine webhook handler" share 2 of 3).
const similarEnough = 0.6

// words returns the distinct words of a normalized purpose, sorted.
func words(purpose string) []string {
	w := strings.Fields(spec.NormalizePurpose(purpose))
	slices.Sort(w)
	return slices.Compact(w)
}

// wordSimilarity is the Jaccard index of two sorted, distinct word lists.
func wordSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	both, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			both++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(both) / float64(len(a)+len(b)-both)
}
