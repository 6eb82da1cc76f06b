package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	utilnet "k8s.io/apimachinery/pkg/util/net"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
)

// Client lists the core API group's nodes, pods and Services, page by
// page, through the HTTP client that client-go builds for a rest.Config:
// the same transport kubectl uses (TLS, client certificates, tokens, exec
// credential plugins, proxies, impersonation, user agent).
//
// It is not the typed clientset on purpose: that imports
// k8s.io/client-go/kubernetes/scheme, whose package init registers every
// API group's types (about 2 ms in every portspec process, --help too,
// and most of the binary), for three GETs.
type Client struct {
	base *url.URL     // the server's URL, with a proxy's path prefix if any
	http *http.Client // its Timeout (rest.Config's) bounds each attempt
	// limit paces the requests as client-go's REST client does (nil: not
	// paced): rest.Config's RateLimiter, else a token bucket of its QPS
	// and Burst (5 and 10 when unset; a negative QPS turns it off).
	limit flowcontrol.RateLimiter
}

// NewClient returns a client of the API server cfg names.
func NewClient(cfg *rest.Config) (*Client, error) {
	cfg = rest.CopyConfig(cfg)
	if cfg.UserAgent == "" {
		cfg.UserAgent = rest.DefaultKubernetesUserAgent()
	}
	base, _, err := rest.DefaultServerUrlFor(cfg)
	if err != nil {
		return nil, err
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, err
	}
	limit := cfg.RateLimiter
	if limit == nil {
		qps, burst := cfg.QPS, cfg.Burst
		if qps == 0 {
			qps = rest.DefaultQPS
		}
		if burst == 0 {
			burst = rest.DefaultBurst
		}
		if qps > 0 {
			limit = flowcontrol.NewTokenBucketRateLimiter(qps, burst)
		}
	}
	return &Client{base: base, http: hc, limit: limit}, nil
}

// pageSize bounds each list call, so that a large cluster is read in pages.
const pageSize = 500

// Retries, as client-go's: a GET whose connection was reset is tried
// again after a second, a 429 or 5xx answer with Retry-After after that
// many seconds, at most maxRetries times.
const maxRetries = 10

// maxErrorBody bounds how much of a failed response is read (an error
// body is a Status or a proxy's page); maxMessage how much of a body that
// is not a Status goes into the error, as client-go does.
const (
	maxErrorBody = 1 << 20
	maxMessage   = 2048
)

// listPage is the part of a list object (corev1.NodeList, ...) that pages
// need.
type listPage[L any] interface {
	*L
	GetContinue() string
}

// listAll reads every page of resource (nodes, pods, services, of every
// namespace) into a fresh list L each and calls each with it; a failure
// says what was being read, in words a person can act on.
func listAll[L any, P listPage[L]](ctx context.Context, c *Client, resource string, each func(P)) error {
	next := ""
	for {
		page := P(new(L))
		if err := c.get(ctx, resource, next, page); err != nil {
			return apiError(resource, err)
		}
		each(page)
		if next = page.GetContinue(); next == "" {
			return nil
		}
	}
}

// get reads one page of resource, from continue token next, into list. A
// failed response is a *apierrors.StatusError: the server's Status if the
// body is one, else one made from the status code and (if it is text) the
// body, exactly as client-go's REST client makes it, so that apierrors'
// IsUnauthorized, IsForbidden, IsNotFound, ... answer as they did.
func (c *Client) get(ctx context.Context, resource, next string, list any) error {
	u := *c.base
	u.Path = path.Join("/", c.base.Path, "/api/v1", resource)
	q := url.Values{"limit": {strconv.Itoa(pageSize)}}
	if next != "" {
		q.Set("continue", next)
	}
	u.RawQuery = q.Encode()

	var previous error
	for attempt := 0; ; attempt++ {
		if c.limit != nil {
			if err := c.limit.Wait(ctx); err != nil {
				return withPrevious(err, previous)
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		var wait time.Duration
		switch {
		case err != nil:
			if attempt >= maxRetries || !(utilnet.IsConnectionReset(err) || utilnet.IsProbableEOF(err) || utilnet.IsHTTP2ConnectionLost(err)) {
				return withPrevious(err, previous)
			}
			previous, wait = err, time.Second
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			s, ok := retryAfter(resp)
			if !ok || attempt >= maxRetries {
				return withPrevious(decodeResponse(resp, resource, list), previous)
			}
			previous, wait = decodeResponse(resp, resource, list), time.Duration(s)*time.Second
		default:
			return withPrevious(decodeResponse(resp, resource, list), previous)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return withPrevious(ctx.Err(), previous)
		case <-t.C:
		}
	}
}

// withPrevious says, as client-go does, what the attempt before a failed
// retry ran into (without its request's URL a second time).
func withPrevious(err, previous error) error {
	if err == nil || previous == nil || err.Error() == previous.Error() {
		return err
	}
	var ue *url.Error
	if errors.As(previous, &ue) && ue.Err != nil {
		previous = ue.Err
	}
	return fmt.Errorf("%w - error from a previous attempt: %v", err, previous)
}

// decodeResponse decodes a 2xx response's JSON into list, or returns the
// error a failed one says, and closes the body.
func decodeResponse(resp *http.Response, resource string, list any) error {
	defer resp.Body.Close()
	if resp.StatusCode < http.StatusOK || resp.StatusCode > http.StatusPartialContent {
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if err != nil {
			return fmt.Errorf("unexpected error when reading response body. Please retry. Original error: %w", err)
		}
		return responseError(resp, resource, body)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("unexpected error when reading response body. Please retry. Original error: %w", err)
	}
	if err := json.Unmarshal(body, list); err != nil {
		return fmt.Errorf("the response (%d, Content-Type %q) is not a JSON list of %s: %w", resp.StatusCode, resp.Header.Get("Content-Type"), resource, err)
	}
	return nil
}

// responseError is the error of a failed response with body: its Status
// when the body is a JSON Status of failure, else a generic one for the
// status code with, if the body is text, the body as its message.
func responseError(resp *http.Response, resource string, body []byte) error {
	ct := resp.Header.Get("Content-Type")
	media := ""
	if ct != "" {
		var err error
		if media, _, err = mime.ParseMediaType(ct); err != nil {
			return apierrors.NewInternalError(err)
		}
	}
	if (ct == "" || media == "application/json") && len(body) > 0 {
		var st metav1.Status
		if json.Unmarshal(body, &st) == nil && st.Kind == "Status" && st.Status == metav1.StatusFailure {
			return &apierrors.StatusError{ErrStatus: st}
		}
	}
	message := "unknown"
	if ct == "" || strings.HasPrefix(media, "text/") {
		message = strings.TrimSpace(string(body[:min(len(body), maxMessage)]))
	}
	s, _ := retryAfter(resp)
	return apierrors.NewGenericServerResponse(resp.StatusCode, http.MethodGet, schema.GroupResource{Resource: resource}, "", message, s, true)
}

// retryAfter is the response's Retry-After in seconds, if it has one.
func retryAfter(resp *http.Response) (int, bool) {
	if h := resp.Header.Get("Retry-After"); h != "" {
		if i, err := strconv.Atoi(h); err == nil {
			return i, true
		}
	}
	return 0, false
}
