package spec

import (
	"fmt"
	"go/token"
)

// SiteAction is what a site's overlay (portspec.yaml's `overlay` section)
// did to a rule.
type SiteAction string

const (
	// SiteAdded: the rule is the site's own row; the document has no such row.
	SiteAdded SiteAction = "add"
	// SiteReplaced: the rule is the document's row with the ports the site
	// gave it instead of the document's.
	SiteReplaced SiteAction = "replace"
)

// SiteChange marks a rule that is the site's, not the document's: a row
// the overlay added, or a row whose ports it replaced. Rules of the
// document as it is have none. (Rows the overlay removed are not in the
// model at all.)
type SiteChange struct {
	Action SiteAction
	// Pos is the overlay entry that made the change, in the config
	// (portspec.yaml:41:7).
	Pos token.Position
	// Reason is the entry's reason, as the site wrote it.
	Reason string
	// DocumentPorts are the ports the document gives the row (SiteReplaced).
	DocumentPorts []PortRange
}

// String says what the site did, for comments in generated outputs:
// "the site's row (portspec.yaml:41:7: LDAP)" or "the site's ports, the
// document has 80 (portspec.yaml:44:7: our inlet listens on 8080)".
func (s *SiteChange) String() string {
	if s == nil {
		return ""
	}
	where := FormatPosition(s.Pos)
	if s.Reason != "" {
		where += ": " + s.Reason
	}
	if s.Action == SiteReplaced {
		return fmt.Sprintf("the site's ports, the document has %s (%s)", FormatPorts(s.DocumentPorts), where)
	}
	return fmt.Sprintf("the site's row (%s)", where)
}
