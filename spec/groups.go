package spec

import (
	"slices"
	"strings"
	"unicode"
)

// KnownGroup describes one of the upstream group ids: which roles its traffic
// goes between and in which direction.
type KnownGroup struct {
	ID        string
	From      Role
	To        Role
	Direction Direction
}

// knownGroups are the group ids of deckhouse-ports.yml, in upstream order.
// They have been stable since the page first appeared (April 2024).
var knownGroups = [...]KnownGroup{
	{"MastersToMasters", RoleMaster, RoleMaster, Ingress},
	{"MastersToNodes", RoleMaster, RoleNode, Ingress},
	{"NodesToMasters", RoleNode, RoleMaster, Ingress},
	{"NodesToNodes", RoleNode, RoleNode, Ingress},
	{"ExternalToMaster", RoleExternal, RoleMaster, Ingress},
	{"ExternalToFrontends", RoleExternal, RoleFrontend, Ingress},
	// "External traffic for all nodes" lists what every node must reach
	// outside the cluster (DNS, NTP, the registry): egress, not ingress.
	{"NodesToExternal", RoleNode, RoleExternal, Egress},
}

// KnownGroups returns the upstream group ids of deckhouse-ports.yml with
// their roles and direction, in upstream order, in a slice of the caller's
// own.
func KnownGroups() []KnownGroup { return slices.Clone(knownGroups[:]) }

// LookupGroup returns the known group with the given id.
func LookupGroup(id string) (KnownGroup, bool) {
	for _, k := range knownGroups {
		if k.ID == id {
			return k, true
		}
	}
	return KnownGroup{}, false
}

// headingAliases maps every heading wording seen on the page, in English and
// Russian, 2024 and 2025 (and the 2024 drafts' misspelling "траффик"), to the
// upstream group id. Keys are in normalized form (see NormalizeHeading).
var headingAliases = map[string]string{
	// 2024 English.
	"master to master nodes traffic": "MastersToMasters",
	"master to nodes traffic":        "MastersToNodes",
	"nodes to masters traffic":       "NodesToMasters",
	"nodes to nodes traffic":         "NodesToNodes",
	"external traffic to masters":    "ExternalToMaster",
	"external traffic to frontends":  "ExternalToFrontends",
	"external traffic for all nodes": "NodesToExternal",
	// 2025 English.
	"traffic between master nodes":               "MastersToMasters",
	"traffic from master nodes to regular nodes": "MastersToNodes",
	"traffic from nodes to master nodes":         "NodesToMasters",
	"traffic between nodes":                      "NodesToNodes",
	"external traffic to master nodes":           "ExternalToMaster",
	"external traffic to frontend nodes":         "ExternalToFrontends",
	// 2024 Russian.
	"трафик между мастер-узлами":                     "MastersToMasters",
	"трафик между мастер-узлами и остальными узлами": "MastersToNodes",
	"трафик между любыми узлами и мастер-узлами":     "NodesToMasters",
	"трафик между любыми узлами":                     "NodesToNodes",
	"внешний трафик на мастер-узлы":                  "ExternalToMaster",
	"внешний трафик на фронтенд-узлы":                "ExternalToFrontends",
	"внешний трафик для каждого узла":                "NodesToExternal",
	"внешний траффик на мастер-узлы":                 "ExternalToMaster",
	"внешний траффик на фронтенд-узлы":               "ExternalToFrontends",
	"внешний траффик для каждого узла":               "NodesToExternal",
	// 2025 Russian.
	"трафик между master-узлами":      "MastersToMasters",
	"трафик от master-узлов к узлам":  "MastersToNodes",
	"трафик от узлов к master-узлам":  "NodesToMasters",
	"трафик между узлами":             "NodesToNodes",
	"внешний трафик к master-узлам":   "ExternalToMaster",
	"внешний трафик к фронтенд-узлам": "ExternalToFrontends",
	"внешний трафик для всех узлов":   "NodesToExternal",
}

// GroupForHeading returns the upstream group id a heading stands for.
func GroupForHeading(heading string) (string, bool) {
	id, ok := headingAliases[NormalizeHeading(heading)]
	return id, ok
}

// NormalizeHeading folds a heading to the form the alias table uses: lower
// case, typographic quotes and dashes made plain, emphasis markers and
// trailing punctuation removed, runs of white space made one space.
func NormalizeHeading(s string) string {
	return strings.TrimRight(Fold(strings.ToLower(s), headingRune, unicode.IsSpace), ".:;!")
}

// headingRune drops the emphasis and heading markers a heading's plain text
// may keep and makes typographic punctuation plain.
func headingRune(r rune) rune {
	switch r {
	case '*', '_', '`', '#':
		return -1
	}
	return plainPunct(r)
}

// DerivedGroupID makes a group id from a heading no alias covers: its
// letters and digits in CamelCase ("Foo bar traffic" → "FooBarTraffic"). It
// never returns an empty string.
func DerivedGroupID(heading string) string {
	var b strings.Builder
	upper := true
	for _, r := range heading {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if upper {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			upper = false
			continue
		}
		upper = true
	}
	if b.Len() == 0 {
		return "Unnamed"
	}
	return b.String()
}
