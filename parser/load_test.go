package parser_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

const smallDoc = "## Nodes to nodes traffic\n\n| Port | Protocol | Purpose |\n|---|---|---|\n| 4204 | TCP | debug |\n"

func TestLoadSources(t *testing.T) {
	ctx := context.Background()

	doc, err := parser.Load(ctx, "", parser.LoadOptions{})
	if err != nil || doc.Source != spec.DefaultName || doc.RuleCount() != 48 {
		t.Fatalf("embedded default: %v, %+v", err, doc)
	}

	doc, err = parser.Load(ctx, "-", parser.LoadOptions{Stdin: strings.NewReader(smallDoc)})
	if err != nil || doc.Source != "-" || doc.RuleCount() != 1 {
		t.Fatalf("stdin: %v", err)
	}
	if len(doc.SHA256) != 64 {
		t.Errorf("sha256 %q", doc.SHA256)
	}

	path := filepath.Join(t.TempDir(), "page.md")
	if err := os.WriteFile(path, []byte(smallDoc), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, err = parser.Load(ctx, path, parser.LoadOptions{})
	if err != nil || doc.Source != path || doc.Kind != "markdown" {
		t.Fatalf("file: %v", err)
	}

	// Too large: an error, never a truncated document.
	_, err = parser.Load(ctx, path, parser.LoadOptions{MaxBytes: 10})
	if err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("file over MaxBytes: %v", err)
	}
	_, err = parser.Load(ctx, "-", parser.LoadOptions{Stdin: strings.NewReader(smallDoc), MaxBytes: 10})
	if err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("stdin over MaxBytes: %v", err)
	}
	// I/O errors are not error lists: the CLI exits 2 for them, not 1.
	_, err = parser.Load(ctx, filepath.Join(t.TempDir(), "missing.md"), parser.LoadOptions{})
	var list spec.ErrorList
	if err == nil || errors.As(err, &list) {
		t.Errorf("missing file: %v", err)
	}
	_, err = parser.Load(ctx, t.TempDir(), parser.LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: %v", err)
	}
	// An empty stdin is an invalid document, not an empty model.
	_, err = parser.Load(ctx, "-", parser.LoadOptions{Stdin: strings.NewReader("")})
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty stdin: %v", err)
	}
}

func TestLoadURL(t *testing.T) {
	ctx := context.Background()
	mux := http.NewServeMux()
	mux.HandleFunc("/page.md", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(smallDoc)) })
	mux.HandleFunc("/missing", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 100)))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {})
	tls := httptest.NewTLSServer(mux)
	defer tls.Close()
	plain := httptest.NewServer(mux)
	defer plain.Close()
	mux.HandleFunc("/to-http", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/page.md", http.StatusFound)
	})
	mux.HandleFunc("/to-https", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page.md", http.StatusFound)
	})
	client := tls.Client()
	opts := parser.LoadOptions{HTTPClient: client}

	doc, err := parser.Load(ctx, tls.URL+"/page.md", opts)
	if err != nil || doc.RuleCount() != 1 || doc.Source != tls.URL+"/page.md" {
		t.Fatalf("https: %v", err)
	}
	if _, err := parser.Load(ctx, tls.URL+"/to-https", opts); err != nil {
		t.Errorf("same-scheme redirect: %v", err)
	}
	for _, tc := range []struct {
		url  string
		opts parser.LoadOptions
		want string
	}{
		{plain.URL + "/page.md", parser.LoadOptions{}, "refusing plain http"},
		{"ftp://example.invalid/x", parser.LoadOptions{}, "unsupported URL scheme"},
		{tls.URL + "/missing", opts, "404"},
		{tls.URL + "/to-http", opts, "another scheme"},
		{tls.URL + "/big", parser.LoadOptions{HTTPClient: client, MaxBytes: 50}, "larger than 50 bytes"},
		{tls.URL + "/slow", parser.LoadOptions{HTTPClient: client, Timeout: 100 * time.Millisecond}, "deadline"},
		{tls.URL + "/empty", opts, "document is empty"},
	} {
		_, err := parser.Load(ctx, tc.url, tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.url, err, tc.want)
		}
	}
	if doc, err := parser.Load(ctx, plain.URL+"/page.md", parser.LoadOptions{AllowHTTP: true}); err != nil || doc.RuleCount() != 1 {
		t.Errorf("http with AllowHTTP: %v", err)
	}
}
