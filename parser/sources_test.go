package parser_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// Documents a local copy of the upstream repository and site serves.
const (
	dataV1683 = "groups:\n- group: NodesToNodes\n  description: {en: Traffic between nodes, ru: Трафик между узлами}\n  destinations:\n  - ports: \"4204\"\n    protocol: TCP\n    description: {en: debug, ru: отладка}\n"
	pageV168  = "<!DOCTYPE html><html><body><h2 id=\"x\">Traffic between nodes</h2><table><thead><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr></thead><tbody><tr><td>—</td><td>ICMP</td><td>ping</td></tr><tr><td>4205</td><td>TCP</td><td><p>metrics</p></td></tr></tbody></table></body></html>"
	pageV162  = "<html><body><h2>Nodes to nodes traffic</h2><table><tr><th>Port</th><th>Protocol</th><th>Purpose</th></tr><tr><td>9434</td><td>TCP</td><td>ebpf-exporter</td></tr></table></body></html>"
	pageRU    = "<html><body><h2>Трафик между узлами</h2><table><tr><th>Порт</th><th>Протокол</th><th>Назначение</th></tr><tr><td>4205</td><td>TCP</td><td>метрики</td></tr></table></body></html>"
)

// upstreamMirror is a local https server (httptest's self-signed
// certificate, which only its own client trusts) in the shape of the
// upstream repository's raw files and the documentation site, EN and RU.
// It records the paths asked for.
func upstreamMirror(t *testing.T) (*httptest.Server, parser.Sources, func() []string) {
	t.Helper()
	var mu sync.Mutex
	var asked []string
	files := map[string]string{
		"/raw/v1.68.3/docs/documentation/_data/deckhouse-ports.yml": dataV1683,
		"/raw/main/docs/documentation/_data/deckhouse-ports.yml":    dataV1683,
		"/site/v1.68/reference/network_interaction.html":            pageV168,
		"/site/v1/reference/network_interaction.html":               pageV168,
		"/site/v1.62/network_security_setup.html":                   pageV162,
		"/site-ru/v1.68/reference/network_interaction.html":         pageRU,
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path)
		mu.Unlock()
		if r.URL.Path == "/site/v1.69/reference/network_interaction.html" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(body))
	}))
	// The client that does not trust the certificate makes the server log
	// a handshake error: expected, and kept out of the test's output.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	src := parser.Sources{Deckhouse: srv.URL + "/raw/", Site: srv.URL + "/site", SiteRU: srv.URL + "/site-ru"}
	return srv, src, func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := asked
		asked = nil
		return out
	}
}

// TestVersionSources: deckhouse@REF reads the data file at REF and
// deckhouse-site@VERSION the page of VERSION (the path before the page
// moved when the current one is not there; #ru the Russian site), from the
// configured bases, over https with a certificate the client trusts.
func TestVersionSources(t *testing.T) {
	srv, sources, asked := upstreamMirror(t)
	ctx := context.Background()
	opts := parser.LoadOptions{HTTPClient: srv.Client(), Sources: sources}
	for _, tc := range []struct {
		source, kind, lang string
		flows              []string
		paths              []string
	}{
		{"deckhouse@v1.68.3", "data", "en", []string{"NodesToNodes node->node TCP/4204"}, []string{"/raw/v1.68.3/docs/documentation/_data/deckhouse-ports.yml"}},
		{"deckhouse@main", "data", "en", []string{"NodesToNodes node->node TCP/4204"}, []string{"/raw/main/docs/documentation/_data/deckhouse-ports.yml"}},
		{"deckhouse-site@v1.68", "html", "en", []string{"NodesToNodes node->node TCP/4205", "NodesToNodes node->node ICMP/-"}, []string{"/site/v1.68/reference/network_interaction.html"}},
		{"deckhouse-site@latest", "html", "en", []string{"NodesToNodes node->node TCP/4205", "NodesToNodes node->node ICMP/-"}, []string{"/site/v1/reference/network_interaction.html"}},
		{"deckhouse-site@v1.68#en", "html", "en", []string{"NodesToNodes node->node TCP/4205", "NodesToNodes node->node ICMP/-"}, []string{"/site/v1.68/reference/network_interaction.html"}},
		{"deckhouse-site@v1.68#ru", "html", "ru", []string{"NodesToNodes node->node TCP/4205"}, []string{"/site-ru/v1.68/reference/network_interaction.html"}},
		{"deckhouse-site@v1.62", "html", "en", []string{"NodesToNodes node->node TCP/9434"}, []string{"/site/v1.62/reference/network_interaction.html", "/site/v1.62/network_security_setup.html"}},
	} {
		t.Run(tc.source, func(t *testing.T) {
			doc, err := parser.Load(ctx, tc.source, opts)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Source != tc.source || doc.Kind != tc.kind || doc.Languages[0] != tc.lang {
				t.Errorf("source %q kind %s languages %v, want %s, %s, %s first", doc.Source, doc.Kind, doc.Languages, tc.source, tc.kind, tc.lang)
			}
			var flows []string
			for _, f := range doc.Flows() {
				flows = append(flows, f.String())
			}
			if strings.Join(flows, "; ") != strings.Join(tc.flows, "; ") {
				t.Errorf("flows %v, want %v", flows, tc.flows)
			}
			if got := asked(); strings.Join(got, " ") != strings.Join(tc.paths, " ") {
				t.Errorf("asked for %v, want %v", got, tc.paths)
			}
		})
	}

	// Failures: each an error that is not a document's (the CLI exits 2).
	for _, tc := range []struct{ source, want string }{
		{"deckhouse@v9.9.9", "404"},
		{"deckhouse-site@v1.99", "network_security_setup.html: 404"},
		{"deckhouse-site@v1.69", "503"}, // not a 404: the old path is not tried
		{"deckhouse@v1.68.3#ru", "the data file holds both languages"},
		{"deckhouse@../../etc", "is not a git ref"},
		{"deckhouse@", "is not a git ref"},
		{"deckhouse-site@v1.68#de", "#en or #ru"},
		{"deckhouse-site@1.68 x", "is not a version"},
	} {
		t.Run("fails/"+tc.source, func(t *testing.T) {
			_, err := parser.Load(ctx, tc.source, opts)
			var list spec.ErrorList
			if err == nil || errors.As(err, &list) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("want an error with %q, got %v", tc.want, err)
			}
			if tc.source == "deckhouse-site@v1.69" {
				if got := asked(); len(got) != 1 {
					t.Errorf("a server error must not move on to the old path: asked %v", got)
				}
			}
			asked()
		})
	}

	// The bases are only reached over https unless http is allowed, and
	// the certificate is checked: a client that does not trust the test
	// server's certificate is refused.
	if _, err := parser.Load(ctx, "deckhouse@v1.68.3", parser.LoadOptions{Sources: sources, Timeout: 5 * time.Second}); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: want a certificate error, got %v", err)
	}
	plain := sources
	plain.Deckhouse = strings.Replace(plain.Deckhouse, "https://", "http://", 1)
	if _, err := parser.Load(ctx, "deckhouse@v1.68.3", parser.LoadOptions{Sources: plain, HTTPClient: srv.Client()}); err == nil || !strings.Contains(err.Error(), "use https") {
		t.Errorf("http base without AllowHTTP: %v", err)
	}
	// The size cap holds for version sources too.
	if _, err := parser.Load(ctx, "deckhouse@v1.68.3", parser.LoadOptions{Sources: sources, HTTPClient: srv.Client(), MaxBytes: 20}); err == nil || !strings.Contains(err.Error(), "larger than 20 bytes") {
		t.Errorf("over MaxBytes: %v", err)
	}
	if !parser.IsVersionSource("deckhouse@main") || parser.IsVersionSource("./deckhouse@main") || !parser.IsRemote("deckhouse-site@latest") || parser.IsRemote("page.md") {
		t.Error("IsVersionSource / IsRemote")
	}
}
