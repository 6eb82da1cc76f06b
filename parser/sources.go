package parser

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// Version sources name a version of the page rather than a file:
//
//	deckhouse@REF            the data file (deckhouse-ports.yml, both
//	                         languages) at REF of the upstream repository:
//	                         a tag (v1.68.3), a branch (main) or a commit
//	deckhouse-site@VERSION   the HTML page of VERSION (v1.68, latest) on the
//	deckhouse-site@VERSION#ru documentation site, in English or Russian
//
// They are fetched like https URLs (LoadOptions' limits apply) from the
// bases in Sources, which a restricted network points at a mirror or at
// the cluster's own documentation module.

// Default bases of the version sources.
const (
	DefaultDeckhouseURL = "https://raw.githubusercontent.com/deckhouse/deckhouse"
	DefaultSiteURL      = "https://deckhouse.io/products/kubernetes-platform/documentation"
	DefaultSiteURLRU    = "https://deckhouse.ru/products/kubernetes-platform/documentation"
)

// Where the page and the data file live under those bases.
const (
	dataPath = "docs/documentation/_data/deckhouse-ports.yml"
	// pagePath is the page since it moved under reference/ (2025);
	// oldPagePath is where the versions before the move have it.
	pagePath    = "reference/network_interaction.html"
	oldPagePath = "network_security_setup.html"
)

// Sources are the bases the version sources are fetched from; an empty
// field is its default.
type Sources struct {
	// Deckhouse is the raw-file base of the upstream repository:
	// deckhouse@REF reads <Deckhouse>/<REF>/docs/documentation/_data/deckhouse-ports.yml.
	Deckhouse string `json:"deckhouse,omitempty"`
	// Site and SiteRU are the documentation site in English and in
	// Russian: deckhouse-site@VERSION reads
	// <Site>/<VERSION>/reference/network_interaction.html, or for a version
	// from before the page moved, <Site>/<VERSION>/network_security_setup.html.
	Site   string `json:"site,omitempty"`
	SiteRU string `json:"siteRU,omitempty"`
}

func (s Sources) base(field, def string) string {
	if field == "" {
		field = def
	}
	return strings.TrimRight(field, "/")
}

var (
	refPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)
	versionPattern = regexp.MustCompile(`^(latest|v[0-9]+(\.[0-9]+){0,2}|[A-Za-z][A-Za-z0-9._-]*)$`)
)

// IsVersionSource reports whether source names a version of the page
// (deckhouse@REF or deckhouse-site@VERSION) rather than a file or a URL. A
// file of such a name is read as ./deckhouse@v1.
func IsVersionSource(source string) bool {
	return strings.HasPrefix(source, "deckhouse@") || strings.HasPrefix(source, "deckhouse-site@")
}

// IsRemote reports whether reading source goes over the network: a URL or
// a version source.
func IsRemote(source string) bool {
	return hasScheme(source) || IsVersionSource(source)
}

// versionURLs returns the URLs a version source is read from, in the
// order they are tried.
func (s Sources) versionURLs(source string) ([]string, error) {
	what, lang, hasLang := strings.Cut(source, "#")
	name, version, _ := strings.Cut(what, "@")
	switch name {
	case "deckhouse":
		if hasLang {
			return nil, fmt.Errorf("%s: the data file holds both languages; drop #%s (or read deckhouse-site@VERSION#%s for the page in one language)", source, lang, lang)
		}
		if !refPattern.MatchString(version) || strings.Contains(version, "..") {
			return nil, fmt.Errorf("%s: %q is not a git ref of the upstream repository: write a tag (deckhouse@v1.68.3), a branch (deckhouse@main) or a commit", source, version)
		}
		return []string{s.base(s.Deckhouse, DefaultDeckhouseURL) + "/" + version + "/" + dataPath}, nil
	case "deckhouse-site":
		if !versionPattern.MatchString(version) {
			return nil, fmt.Errorf("%s: %q is not a version of the documentation site: write deckhouse-site@v1.68 or deckhouse-site@latest", source, version)
		}
		if version == "latest" {
			version = "v1" // the site's path of the current release
		}
		base := s.base(s.Site, DefaultSiteURL)
		switch lang {
		case "", "en":
		case "ru":
			base = s.base(s.SiteRU, DefaultSiteURLRU)
		default:
			return nil, fmt.Errorf("%s: the site has the page in English and Russian: write #en or #ru, not #%s", source, lang)
		}
		return []string{base + "/" + version + "/" + pagePath, base + "/" + version + "/" + oldPagePath}, nil
	}
	return nil, fmt.Errorf("%s: unknown version source: use deckhouse@REF or deckhouse-site@VERSION", source)
}

// readVersion fetches a version source: the first of its URLs that the
// server has (a 404 moves on to the next).
func readVersion(ctx context.Context, source string, opts LoadOptions, limit int64) ([]byte, error) {
	urls, err := opts.Sources.versionURLs(source)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, u := range urls {
		b, err := fetch(ctx, u, opts, limit)
		if err == nil {
			return b, nil
		}
		errs = append(errs, err)
		var st httpStatusError
		if !errors.As(err, &st) || st.code != http.StatusNotFound {
			break // only a page the server does not have moves on
		}
	}
	return nil, fmt.Errorf("%s: %w", source, errors.Join(errs...))
}

// httpStatusError is a response other than 200 OK.
type httpStatusError struct {
	url, status string
	code        int
}

func (e httpStatusError) Error() string {
	return fmt.Sprintf("fetching %s: %s (want 200 OK)", RedactSource(e.url), e.status)
}
