package parser

import "net/url"

// RedactSource returns the name of a source as portspec writes and prints
// it: a URL without its user information (user:password@), its query
// (?token=…) and its fragment, which may carry credentials; anything else
// (a file, "-", "" for the embedded default) as it is. Every place that
// names a source uses it: Document.Source (and so every output header, the
// Go package's Source constant, the drift test), positions and errors.
//
// A URL that does not parse is named only by its scheme: its parts cannot
// be told apart, so none of them is shown.
func RedactSource(source string) string {
	if !hasScheme(source) {
		return source
	}
	u, err := url.Parse(source)
	if err != nil {
		return schemeOf(source) + "://(unparsable URL, not shown)"
	}
	if u.User == nil && u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" && u.RawFragment == "" {
		return source
	}
	u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
	return u.String()
}

// schemeOf returns the scheme of a source that hasScheme accepts.
func schemeOf(s string) string {
	for i := range s {
		if s[i] == ':' {
			return s[:i]
		}
	}
	return s
}
