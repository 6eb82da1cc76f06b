package gen

import "github.com/portspec/portspec/spec"

// SiteNote is how outputs mark a rule that is the site's, not the
// document's (spec.Rule.Site, from portspec.yaml's overlay): " [the site's
// row (portspec.yaml:41:7: LDAP)]", or "" for a row of the document. It
// is one line (OneLine), safe in a comment.
func SiteNote(r *spec.Rule) string {
	if r.Site == nil {
		return ""
	}
	return " [" + OneLine(r.Site.String()) + "]"
}

// Described is a rule's purpose in the first of langs it has, on one line,
// marked as the site's when it is (SiteNote): what comments say of a rule.
func Described(r *spec.Rule, langs ...string) string {
	return OneLine(r.Purpose(langs...)) + SiteNote(r)
}
