package parser

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/portspec/portspec/internal/regfile"
	"github.com/portspec/portspec/spec"
)

// DefaultMaxBytes is the largest input Load reads unless told otherwise. The
// real page is about 10 KB; a bigger input is refused, never truncated.
const DefaultMaxBytes = 32 << 20

// DefaultTimeout bounds a download unless told otherwise.
const DefaultTimeout = 30 * time.Second

// LoadOptions controls Load.
type LoadOptions struct {
	Options
	// Stdin is read for the source "-"; nil means os.Stdin.
	Stdin io.Reader
	// AllowHTTP permits plain http:// URLs; by default only https is fetched.
	AllowHTTP bool
	// Timeout bounds a download; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBytes is the largest input accepted; 0 means DefaultMaxBytes.
	MaxBytes int64
	// HTTPClient fetches URLs; nil means a client with the timeout above.
	// Its redirects are checked as well: never to another scheme.
	HTTPClient *http.Client
	// Sources are the bases the version sources (deckhouse@REF,
	// deckhouse-site@VERSION) are fetched from; zero: the defaults.
	Sources Sources
}

// Load reads and parses a document from source: "" is the embedded default
// document (spec.Default(), named spec.DefaultName), "-" is standard input, an
// https:// (or, with AllowHTTP, http://) URL is downloaded, a version source
// (deckhouse@REF, deckhouse-site@VERSION[#ru], see sources.go) is downloaded
// from its base in Sources, anything else is a file path. Problems of the document are a spec.ErrorList, as from Parse;
// any other error (I/O, a refused URL, a too large input) is of another type.
func Load(ctx context.Context, source string, opts LoadOptions) (*spec.Document, error) {
	name, src, err := ReadSource(ctx, source, opts)
	if err != nil {
		return nil, err
	}
	return Parse(name, src, opts.Options)
}

// ReadSource returns the name and the bytes Load would parse for source.
func ReadSource(ctx context.Context, source string, opts LoadOptions) (string, []byte, error) {
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	switch {
	case source == "":
		return spec.DefaultName, spec.Default(), nil
	case source == "-":
		in := opts.Stdin
		if in == nil {
			in = os.Stdin
		}
		b, err := readLimited(in, limit, "standard input")
		return "-", b, err
	case hasScheme(source):
		b, err := fetch(ctx, source, opts, limit)
		return RedactSource(source), b, err
	case IsVersionSource(source):
		b, err := readVersion(ctx, source, opts, limit)
		return source, b, err
	}
	b, err := regfile.Read(source, limit)
	return source, b, err
}

func hasScheme(s string) bool {
	i := strings.Index(s, "://")
	if i <= 0 {
		return false
	}
	for _, c := range s[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func readLimited(r io.Reader, limit int64, what string) ([]byte, error) {
	return regfile.ReadLimited(r, limit, what)
}

func tooLarge(what string, limit int64) error { return regfile.TooLarge(what, limit) }

// fetch downloads a URL: https only unless AllowHTTP, no redirect to another
// scheme, status 200 only, at most limit bytes, within the timeout. Its
// errors name the URL (and any redirect's) only as RedactSource does.
func fetch(ctx context.Context, raw string, opts LoadOptions, limit int64) ([]byte, error) {
	name := RedactSource(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %s: %w", name, redactURLError(err))
	}
	if err := checkScheme(u, opts.AllowHTTP); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	client := http.Client{Timeout: timeout}
	if opts.HTTPClient != nil {
		client = *opts.HTTPClient // a copy: its redirect policy is ours to set
	}
	userCheck := client.CheckRedirect
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != u.Scheme {
			return fmt.Errorf("%s redirects to %s, another scheme (%s): refused", name, RedactSource(req.URL.String()), req.URL.Scheme)
		}
		if len(via) >= 10 {
			return errors.New("more than 10 redirects")
		}
		if userCheck != nil {
			return userCheck(req, via)
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, fmt.Errorf("invalid URL %s: %w", name, redactURLError(err))
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetching %s: %w", name, redactURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, httpStatusError{raw, resp.Status, resp.StatusCode}
	}
	if resp.ContentLength > limit {
		return nil, tooLarge(name, limit)
	}
	return readLimited(resp.Body, limit, name)
}

// redactURLError names the URL of a *url.Error (which prints it whole) as
// RedactSource does.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactSource(ue.URL)
	}
	return err
}

func checkScheme(u *url.URL, allowHTTP bool) error {
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if allowHTTP {
			return nil
		}
		return fmt.Errorf("refusing plain http URL %s: use https (or allow http explicitly)", RedactSource(u.String()))
	}
	return fmt.Errorf("unsupported URL scheme %q in %s: use https", u.Scheme, RedactSource(u.String()))
}
