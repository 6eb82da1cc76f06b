package cluster

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/util/flowcontrol"
)

// apiServer answers list calls on /api/v1/{nodes,pods,services} as the
// API server does: at most perPage items a page (a server may return
// fewer than the limit asked for), an opaque continue token while more
// remain, a 410 Expired Status for a token it did not give; items in the
// order of their namespace and name, as etcd keeps them. It records each
// call's resource and query.
type apiServer struct {
	t       *testing.T
	perPage int
	items   map[string][]any

	mu    sync.Mutex
	calls []string
}

func newAPIServer(t *testing.T, perPage int, objects ...any) *apiServer {
	a := &apiServer{t: t, perPage: perPage, items: map[string][]any{"nodes": {}, "pods": {}, "services": {}}}
	for _, o := range objects {
		switch o.(type) {
		case *corev1.Node:
			a.items["nodes"] = append(a.items["nodes"], o)
		case *corev1.Pod:
			a.items["pods"] = append(a.items["pods"], o)
		case *corev1.Service:
			a.items["services"] = append(a.items["services"], o)
		default:
			t.Fatalf("apiServer: %T", o)
		}
	}
	for _, items := range a.items {
		slices.SortStableFunc(items, func(x, y any) int {
			mx, my := x.(metav1.Object), y.(metav1.Object)
			return cmp.Or(strings.Compare(mx.GetNamespace(), my.GetNamespace()), strings.Compare(mx.GetName(), my.GetName()))
		})
	}
	return a
}

var listKinds = map[string]string{"nodes": "NodeList", "pods": "PodList", "services": "ServiceList"}

// token is a continue token with characters that must be escaped in a
// query.
func token(resource string, offset int) string {
	return fmt.Sprintf("%s+%d/=&", resource, offset)
}

func (a *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resource := strings.TrimPrefix(r.URL.Path, "/api/v1/")
	a.mu.Lock()
	a.calls = append(a.calls, resource+"?"+r.URL.RawQuery)
	a.mu.Unlock()
	items, ok := a.items[resource]
	if r.Method != http.MethodGet || !ok {
		writeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource")
		return
	}
	if got := r.URL.Query().Get("limit"); got != strconv.Itoa(pageSize) {
		writeStatus(w, http.StatusBadRequest, "BadRequest", "limit "+got)
		return
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		a.t.Errorf("Accept: %q", got)
	}
	from := 0
	if c := r.URL.Query().Get("continue"); c != "" {
		n, ok := strings.CutPrefix(c, resource+"+")
		n, ok2 := strings.CutSuffix(n, "/=&")
		var err error
		if from, err = strconv.Atoi(n); !ok || !ok2 || err != nil || from > len(items) {
			writeStatus(w, http.StatusGone, "Expired", "The provided continue parameter is too old")
			return
		}
	}
	to := min(from+a.perPage, len(items))
	meta := metav1.ListMeta{ResourceVersion: "7"}
	if to < len(items) {
		meta.Continue = token(resource, to)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"kind": listKinds[resource], "apiVersion": "v1", "metadata": meta, "items": items[from:to]})
}

func writeStatus(w http.ResponseWriter, code int, reason metav1.StatusReason, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(metav1.Status{TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status: metav1.StatusFailure, Code: int32(code), Reason: reason, Message: message})
}

// client returns a client of a test server running h.
func client(t *testing.T, h http.Handler, timeout time.Duration) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c, err := NewClient(&rest.Config{Host: srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fakeAPI returns a client of an apiServer holding objects.
func fakeAPI(t *testing.T, perPage int, objects ...any) *Client {
	return client(t, newAPIServer(t, perPage, objects...), 5*time.Second)
}

// TestPaging: every page is read, each with the continue token of the one
// before (escaped in the query), until a page has none; an empty page
// with a token is not the end.
func TestPaging(t *testing.T) {
	var objects []any
	for i := range 5 {
		objects = append(objects, node(fmt.Sprintf("n%d", i), nil))
	}
	for i := range 3 {
		objects = append(objects, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: fmt.Sprintf("p%d", i)},
			Spec: corev1.PodSpec{NodeName: "n0", HostNetwork: true, Containers: []corev1.Container{{Name: "c", Ports: []corev1.ContainerPort{{ContainerPort: int32(9000 + i)}}}}}})
	}
	a := newAPIServer(t, 2, objects...)
	f, err := Collect(context.Background(), client(t, a, 5*time.Second), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Nodes) != 5 || f.Nodes[0].Name != "n0" || f.Nodes[4].Name != "n4" {
		t.Errorf("nodes: %+v", f.Nodes)
	}
	if len(f.Served) != 3 {
		t.Errorf("served: %+v", f.Served)
	}
	q := func(resource string, offset int) string {
		if offset == 0 {
			return resource + "?limit=500"
		}
		return resource + "?continue=" + strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D", "&", "%26").Replace(token(resource, offset)) + "&limit=500"
	}
	want := []string{q("nodes", 0), q("nodes", 2), q("nodes", 4), q("pods", 0), q("pods", 2), q("services", 0)}
	if d := gocmp.Diff(want, a.calls); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}

	// A server may answer a page with no items but a token.
	calls := 0
	c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Query().Get("continue") {
		case "":
			fmt.Fprint(w, `{"kind":"NodeList","apiVersion":"v1","metadata":{"continue":"t1"},"items":[]}`)
		case "t1":
			fmt.Fprint(w, `{"kind":"NodeList","apiVersion":"v1","metadata":{},"items":[{"metadata":{"name":"late"}}]}`)
		default:
			t.Errorf("continue %q", r.URL.Query().Get("continue"))
		}
	}), 5*time.Second)
	var got []string
	err = listAll(context.Background(), c, "nodes", func(l *corev1.NodeList) {
		for _, n := range l.Items {
			got = append(got, n.Name)
		}
	})
	if err != nil || calls != 2 || !gocmp.Equal(got, []string{"late"}) {
		t.Errorf("empty first page: %v, %d calls, %q", err, calls, got)
	}
}

// TestErrorBodies: a failed response is the server's Status when its body
// is one (its message kept, apierrors' predicates answering by its
// reason), else an error of the status code with the text of the body,
// as client-go makes it; either names what was being read.
func TestErrorBodies(t *testing.T) {
	status := func(code int, reason metav1.StatusReason, message string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { writeStatus(w, code, reason, message) }
	}
	body := func(code int, contentType, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(code)
			fmt.Fprint(w, body)
		}
	}
	// podsFail serves the nodes and fails the pods with h.
	podsFail := func(h http.HandlerFunc) http.Handler {
		ok := newAPIServer(t, 10, node("n0", nil))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/pods") {
				h(w, r)
				return
			}
			ok.ServeHTTP(w, r)
		})
	}
	forbidden := `pods is forbidden: User "system:serviceaccount:ci:verify" cannot list resource "pods" in API group "" at the cluster scope`
	for _, tc := range []struct {
		name string
		h    http.HandlerFunc
		want string
		is   func(error) bool
	}{
		{"Status 403", status(403, metav1.StatusReasonForbidden, forbidden),
			"list pods: the API server forbids it (403): the account needs list on nodes, pods and services cluster-wide: " + forbidden, apierrors.IsForbidden},
		{"Status 401", status(401, metav1.StatusReasonUnauthorized, "Unauthorized"),
			"list pods: the API server refused the credentials (401 Unauthorized): check the kubeconfig's user: Unauthorized", apierrors.IsUnauthorized},
		{"Status 404", status(404, metav1.StatusReasonNotFound, "the server could not find the requested resource"),
			"list pods: the server could not find the requested resource", apierrors.IsNotFound},
		{"Status 410 (an expired continue token)", status(410, metav1.StatusReasonExpired, "The provided continue parameter is too old"),
			"list pods: The provided continue parameter is too old", apierrors.IsResourceExpired},
		{"Status 500", status(500, metav1.StatusReasonInternalError, "etcdserver: request timed out"),
			"list pods: etcdserver: request timed out", apierrors.IsInternalError},
		{"a proxy's HTML page", body(502, "text/html; charset=utf-8", "<html><body>Bad Gateway</body></html>\n"),
			`list pods: an error on the server ("<html><body>Bad Gateway</body></html>") has prevented the request from succeeding (get pods)`, apierrors.IsInternalError},
		{"a proxy's 403 in text", body(403, "text/plain", "denied by policy\n"),
			"list pods: the API server forbids it (403): the account needs list on nodes, pods and services cluster-wide: denied by policy (get pods)", apierrors.IsForbidden},
		{"a 401 without a Status", body(401, "text/plain", "Unauthorized"),
			"list pods: the API server refused the credentials (401 Unauthorized): check the kubeconfig's user: the server has asked for the client to provide credentials (get pods)", apierrors.IsUnauthorized},
		{"JSON that is not a Status", body(503, "application/json", `{"error":"maintenance"}`),
			"list pods: the server is currently unable to handle the request (get pods)", apierrors.IsServiceUnavailable},
		{"a body that is not JSON though it says so", body(500, "application/json", "<html>oops</html>"),
			`list pods: an error on the server ("unknown") has prevented the request from succeeding (get pods)`, apierrors.IsInternalError},
		{"binary", body(500, "application/octet-stream", "\x00\x01"),
			`list pods: an error on the server ("unknown") has prevented the request from succeeding (get pods)`, apierrors.IsInternalError},
		{"a 200 that is not a list", body(200, "text/html", "<html>login</html>"),
			`list pods: the response (200, Content-Type "text/html") is not a JSON list of pods: invalid character '<' looking for beginning of value`, nil},
	} {
		_, err := Collect(context.Background(), client(t, podsFail(tc.h), 5*time.Second), nil)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
			continue
		}
		var se *apierrors.StatusError
		if tc.is != nil && (!tc.is(err) || !errors.As(err, &se)) {
			t.Errorf("%s: %v is not a StatusError of its reason", tc.name, err)
		}
	}
}

// TestRetryAfter: a 429 (or 5xx) with Retry-After is tried again, as
// client-go does, at most ten times; without the header it is not; a
// GET whose connection broke is too.
func TestRetryAfter(t *testing.T) {
	calls := 0
	ok := newAPIServer(t, 10, node("n0", nil))
	c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls++; calls <= 2 {
			w.Header().Set("Retry-After", "0")
			writeStatus(w, http.StatusTooManyRequests, metav1.StatusReasonTooManyRequests, "too many requests, please try again later")
			return
		}
		ok.ServeHTTP(w, r)
	}), 5*time.Second)
	if f, err := Collect(context.Background(), c, nil); err != nil || len(f.Nodes) != 1 || calls != 5 {
		t.Errorf("two 429s, then the lists: %v, %d calls", err, calls)
	}

	calls = 0
	c = client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Retry-After", "0")
		writeStatus(w, http.StatusTooManyRequests, metav1.StatusReasonTooManyRequests, "too many requests")
	}), 5*time.Second)
	if _, err := Collect(context.Background(), c, nil); err == nil || err.Error() != "list nodes: too many requests" || calls != 1+maxRetries {
		t.Errorf("always 429: %v after %d calls", err, calls)
	}

	// A connection closed before the answer: tried again after a second.
	calls = 0
	c = client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls++; calls == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		ok.ServeHTTP(w, r)
	}), 5*time.Second)
	if f, err := Collect(context.Background(), c, nil); err != nil || len(f.Nodes) != 1 || calls != 4 {
		t.Errorf("a connection closed, then the lists: %v, %d calls", err, calls)
	}

	calls = 0
	c = client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		writeStatus(w, http.StatusServiceUnavailable, metav1.StatusReasonServiceUnavailable, "down")
	}), 5*time.Second)
	if _, err := Collect(context.Background(), c, nil); !apierrors.IsServiceUnavailable(err) || calls != 1 {
		t.Errorf("503 without Retry-After: %v after %d calls", err, calls)
	}
}

// TestTimeout: a server that does not answer within the timeout fails the
// call (naming what was read) instead of hanging; so does one that stops
// in the middle of a body.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	for name, h := range map[string]http.HandlerFunc{
		"no answer": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
		"half a body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"kind":"NodeList","items":[`)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-release:
			}
		},
	} {
		start := time.Now()
		_, err := Collect(context.Background(), client(t, h, 200*time.Millisecond), nil)
		var ne net.Error
		if err == nil || !strings.HasPrefix(err.Error(), "list nodes: ") || !errors.As(err, &ne) && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v (%T)", name, err, errors.Unwrap(err))
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: %v to time out after 200ms", name, d)
		}
	}

	// The caller's context ends the calls too.
	ctx, cancel := context.WithCancel(context.Background())
	c := client(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cancel()
		<-r.Context().Done()
	}), 0)
	if _, err := Collect(ctx, c, nil); !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "list nodes: ") {
		t.Errorf("cancelled: %v", err)
	}
}

// TestServerPath: a server URL with a path (an authenticating proxy in
// front of the API server) keeps the path before /api/v1.
func TestServerPath(t *testing.T) {
	ok := newAPIServer(t, 10, node("n0", nil))
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path)
		r.URL.Path = strings.TrimPrefix(r.URL.Path, "/k8s/clusters/c-1")
		if got := r.Header.Get("User-Agent"); got != "portspec-verify" {
			t.Errorf("User-Agent %q", got)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer secret" {
			t.Errorf("Authorization %q", got)
		}
		ok.ServeHTTP(w, r)
	}))
	defer srv.Close()
	c, err := NewClient(&rest.Config{Host: srv.URL + "/k8s/clusters/c-1/", BearerToken: "secret", UserAgent: "portspec-verify"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"/k8s/clusters/c-1/api/v1/nodes", "/k8s/clusters/c-1/api/v1/pods", "/k8s/clusters/c-1/api/v1/services"}; !gocmp.Equal(paths, want) {
		t.Errorf("paths %q", paths)
	}
}

// countingLimiter is a flowcontrol.RateLimiter that only counts.
type countingLimiter struct {
	flowcontrol.RateLimiter
	waits int
}

func (l *countingLimiter) Wait(ctx context.Context) error { l.waits++; return ctx.Err() }

// TestRateLimit: every request, retries included, waits for the client's
// rate limiter (rest.Config's, as client-go's REST client does), and the
// default is client-go's token bucket of 5 requests a second, burst 10.
func TestRateLimit(t *testing.T) {
	a := newAPIServer(t, 2, node("n0", nil), node("n1", nil), node("n2", nil))
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	l := &countingLimiter{RateLimiter: flowcontrol.NewFakeAlwaysRateLimiter()}
	c, err := NewClient(&rest.Config{Host: srv.URL, RateLimiter: l})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Collect(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	if len(a.calls) == 0 || l.waits != len(a.calls) {
		t.Errorf("%d requests, %d waits for the limiter", len(a.calls), l.waits)
	}
	d, err := NewClient(&rest.Config{Host: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	if d.limit == nil || d.limit.QPS() != 5 {
		t.Errorf("default limiter %v, want client-go's 5 requests a second", d.limit)
	}
	if off, err := NewClient(&rest.Config{Host: srv.URL, QPS: -1}); err != nil || off.limit != nil {
		t.Errorf("QPS -1: limiter %v (%v), want none", off.limit, err)
	}
}
