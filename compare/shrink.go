package compare

import (
	"fmt"

	"github.com/portspec/portspec/spec"
)

// Shrink says how many of the rules of one document another keeps: the
// guard of `portspec generate` against a document that lost most of its
// rules (an emptied download, a wrong file), whose firewalls would close
// the ports the cluster lives on.
type Shrink struct {
	Rules   int // rules of the old document
	Removed int // of them, those the new document has no rule for
}

// Rules compares the rules of two documents: a rule of old is kept when new
// has a rule of the same protocol and ports, in any group (a port that
// moved between groups, or a renamed group, stays open).
func Rules(old, new *spec.Document) Shrink {
	have := map[string]bool{}
	for gi := range new.Groups {
		for ri := range new.Groups[gi].Rules {
			have[new.Groups[gi].Rules[ri].Label()] = true
		}
	}
	var s Shrink
	for gi := range old.Groups {
		for ri := range old.Groups[gi].Rules {
			s.Rules++
			if !have[old.Groups[gi].Rules[ri].Label()] {
				s.Removed++
			}
		}
	}
	return s
}

// Most reports whether more than half of the old rules are gone.
func (s Shrink) Most() bool { return s.Removed*2 > s.Rules }

func (s Shrink) String() string {
	return fmt.Sprintf("%d of the %d rules", s.Removed, s.Rules)
}
